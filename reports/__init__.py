"""Report data trees and their rendering (HTML via Jinja2, PDF via WeasyPrint)."""
