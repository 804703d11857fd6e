"""passu claims through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from passu.cli.main import cli

from ..portfolio.builders import write_csvs
from ..portfolio.test_claims_report import with_claims


def test_claims_json_csv_and_status(db_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    folder = write_csvs(tmp_path / "in", with_claims())
    assert runner.invoke(cli, ["--database", db_url, "import", str(folder)]).exit_code == 0
    base = ["--database", db_url, "claims", "--as-of", "2015-03-01"]
    result = runner.invoke(cli, [*base, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert list(document) == ["totals", "claims", "ageing"]
    assert document["totals"]["outstanding_unverified"] == "12000.00"  # CL2
    assert document["totals"]["verification_rate"] == round(15 / 21, 10)
    assert [c["claim_id"] for c in document["claims"]] == ["CL1", "CL4", "CL2", "CL3"]
    unpaid = runner.invoke(cli, [*base, "--status", "unpaid", "--format", "csv"])
    assert unpaid.exit_code == 0
    lines = unpaid.stdout.split("# Claims: unpaid\n")[1].split("\n\n")[0].splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == ["CL1", "CL2"]
    bad = runner.invoke(cli, [*base, "--status", "lost"])
    assert bad.exit_code == 2
    table = runner.invoke(cli, base)
    assert table.exit_code == 0 and "£43,500.00" in table.stdout
