"""The illustrative sample portfolio in the interchange format (package data)."""
