"""Reference data shipped with passu (see SOURCES.md)."""
