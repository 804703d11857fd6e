"""`passu value --format json` on the sample: the previous release's bytes, plus PME only;
and the Python API (passu.open, passu.value) gives the same bytes."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import passu
from passu.cli.main import cli
from passu.portfolio.reference.packaged import unit_cost_codes

ROOT = Path(__file__).parents[2]
GOLDEN = ROOT / "tests" / "data" / "golden"
AS_OF = dt.date(2026, 10, 31)
ADDED = ("pme", "pme_note")  # the only keys added since the golden files were made


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('golden') / 'passu.db'}"
    for args in (["init"], ["import", str(ROOT / "sample")]):
        result = CliRunner().invoke(cli, ["--database", url, "--quiet", *args])
        assert result.exit_code == 0, result.stderr
    return url


def _cli_json(url: str, scope: str) -> str:
    fund = [] if scope == "ALL" else ["--fund", scope]
    result = CliRunner().invoke(
        cli, ["--database", url, "--quiet", "value", "--as-of", AS_OF.isoformat(), *fund,
              "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("scope", ["ALL", "SOF1", "SOF2"])
def test_the_previous_releases_bytes_plus_pme(sample_url: str, scope: str) -> None:
    text = _cli_json(sample_url, scope)
    golden = (GOLDEN / f"golden_{scope}.json").read_text(encoding="utf-8")
    document = json.loads(text)
    for fund in [document["fund"], *document["funds"]]:
        assert list(fund)[-2:] == list(ADDED)
        for key in ADDED:
            del fund[key]
    assert json.dumps(document, indent=2, ensure_ascii=False) + "\n" == golden
    # the same with the text itself: remove the two added lines of each fund object
    kept = [
        line for line in text.splitlines(keepends=True)
        if not line.lstrip().startswith(('"pme": ', '"pme_note": ', '"ks_pme"',
                                         '"direct_alpha"', '"benchmark"'))
    ]  # fmt: skip
    # a comma left before a closing brace was the one after the last earlier key
    stripped = re.sub(r",(\n\s*\})", r"\1", "".join(kept))
    assert stripped == golden


def test_the_api_gives_the_clis_bytes(sample_url: str) -> None:
    text = _cli_json(sample_url, "ALL")
    run = passu.open(sample_url).value(as_of=AS_OF)
    assert run.to_json() == text
    assert isinstance(run.fund.net_irr, float) and run.pari_passu.ok is True
    ledger = passu.Ledger.from_csv(ROOT / "sample", library_codes=unit_cost_codes())
    assert passu.value(ledger, as_of=AS_OF).to_json() == text
    one = passu.value(ledger, as_of=AS_OF, fund="SOF1")
    assert one.to_json() == _cli_json(sample_url, "SOF1")
