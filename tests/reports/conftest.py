"""One valued sample portfolio per test session (per xdist worker), shared read-only."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from .builders import sample_portfolio


@pytest.fixture(scope="session")
def sample_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """The shipped sample with runs saved at AS_OF for ALL and for SOF1. Do not write to it."""
    return sample_portfolio(tmp_path_factory.mktemp("sample"), scopes=(None, "SOF1"))


@pytest.fixture(scope="session")
def artefacts() -> Path:
    """test-artefacts/ at the repository root (gitignored): PDFs and PNGs to look at."""
    path = Path(__file__).resolve().parents[2] / "test-artefacts"
    path.mkdir(exist_ok=True)
    return path
