"""passu: a fund portfolio and social-investment tracker for outcomes partnerships."""

__version__ = "0.1.0"
