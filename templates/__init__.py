"""Jinja2 templates and CSS for the PDF reports (package data)."""
