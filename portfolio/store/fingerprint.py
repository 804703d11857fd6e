"""The run's fingerprint, now computed in ``valuation/fingerprint.py`` (kept for its callers)."""

from passu.valuation.fingerprint import fingerprint as fingerprint

__all__ = ["fingerprint"]
