"""One valued sample portfolio per test session (per xdist worker), shared read-only."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from passu.portfolio.reporting import committee_bundle
from passu.reports.committee import CommitteePack, build_committee_pack, render_committee_pack

from .builders import AS_OF
from .runs import reportable_portfolio


@pytest.fixture(scope="session")
def sample_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """The shipped sample with runs saved at AS_OF for ALL and for SOF1. Do not write to it."""
    return reportable_portfolio(tmp_path_factory.mktemp("sample"), scopes=(None, "SOF1"))


@pytest.fixture(scope="session")
def artefacts() -> Path:
    """test-artefacts/ at the repository root (gitignored): PDFs and PNGs to look at."""
    path = Path(__file__).resolve().parents[2] / "test-artefacts"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture(scope="session")
def all_pack(sample_engine: Engine, artefacts: Path) -> tuple[CommitteePack, Path]:
    """The sample's pack for all funds, rendered once per session (test-artefacts/)."""
    pack = build_committee_pack(committee_bundle(sample_engine, AS_OF, None))
    path = artefacts / "committee-ALL.pdf"
    render_committee_pack(pack, path)
    return pack, path
