"""`passu value` and `passu check` on a fund with share-class terms (issue 14): the blended
example (examples/blended, documented in its README)."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from passu.cli.main import cli
from passu.valuation.capital_lines import MOVEMENT_SIGNS
from passu.valuation.structure_cost import RECORD_KEYS

ROOT = Path(__file__).parents[2]
BLENDED = ROOT / "examples" / "blended"
AS_OF = "2026-10-31"


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--database", url, "--quiet", *args])


def loaded(folder: Path, tmp: Path) -> str:
    url = f"sqlite:///{tmp / 'passu.db'}"
    for args in (["init"], ["import", str(folder)]):
        result = run(url, *args)
        assert result.exit_code == 0, result.stderr
    return url


@pytest.fixture(scope="module")
def blended_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return loaded(BLENDED, tmp_path_factory.mktemp("blended"))


def test_value_json_has_the_structure_keys(blended_url: str) -> None:
    result = run(blended_url, "value", "--as-of", AS_OF, "--fund", "BLF1", "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    fund = document["fund"]
    waterfall = fund["waterfall"]
    assert fund["accrued_carry"] == waterfall["accrued_carry"]
    # the classes' shares + accrued carry + undistributed = NAV
    shares = sum(Decimal(c["nav"]) for c in waterfall["classes"])
    assert shares + Decimal(fund["accrued_carry"]) + Decimal(waterfall["undistributed"]) == (
        Decimal(fund["nav"])
    )
    # each investor's nav is its share in the waterfall, net of carry
    assert {(i["investor_id"], i["nav"]) for i in waterfall["investors"]} == {
        (i["investor_id"], i["nav"]) for i in document["investors"]
    }
    assert "BLMGR" not in {i["investor_id"] for i in document["investors"]}
    carried = sum(Decimal(i["capital_account"]["carried_interest"]) for i in document["investors"])
    assert carried == Decimal(fund["accrued_carry"])
    [government] = document["pari_passu"]["government"]
    assert list(government) == list(RECORD_KEYS)
    assert (government["investor_id"], government["share_class"]) == ("DCMS", "J")
    assert Decimal(government["difference"]) == (
        Decimal(government["actual_value"]) - Decimal(government["pro_rata_value"])
    )


def test_value_table_shows_the_carry_and_the_cost_to_government(blended_url: str) -> None:
    result = run(blended_url, "value", "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert "accrued carried interest" in result.stdout
    assert "cost (−) or benefit (+) of the structure to government" in result.stdout


def test_check_is_clean_when_distributions_follow_the_waterfall(blended_url: str) -> None:
    result = CliRunner().invoke(
        cli, ["--database", blended_url, "check", "--as-of", AS_OF, "--format", "json"]
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == []
    assert "15 checks, no findings" in result.stderr


def test_check_names_a_class_paid_off_the_waterfall(tmp_path: Path) -> None:
    # Move £1,000 of NGSB's (senior) first distribution to DCMS (junior), which the
    # waterfall gives nothing until the senior class has its capital and preferred return.
    folder = tmp_path / "moved"
    shutil.copytree(BLENDED, folder)
    flows = folder / "investor_flows.csv"
    text = flows.read_text(encoding="utf-8")
    first = "BLF1,NGSB,2023-04-14,distribution,675000.00"
    assert first in text
    text = text.replace(first, "BLF1,NGSB,2023-04-14,distribution,674000.00")
    text = text.replace(
        "BLF1,HRBF,2023-04-14,distribution,225000.00",
        "BLF1,HRBF,2023-04-14,distribution,225000.00\nBLF1,DCMS,2023-04-14,distribution,1000.00",
    )
    flows.write_text(text, encoding="utf-8")
    url = loaded(folder, tmp_path)
    result = run(url, "check", "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 1, result.stderr
    found = [f for f in json.loads(result.stdout) if f["check"] == "waterfall_distributions"]
    messages = [f["message"] for f in found]
    assert len(messages) == 2, messages
    senior, junior = messages
    # S short by £1,000 (in its preferred return, the tier the shortfall falls in, or
    # its return of capital); J over by £1,000, named at its last tier
    assert senior.startswith("fund BLF1 class S tier ")
    assert "received £7,766,014.40" in senior and "expected £7,767,014.40" in senior
    assert junior.startswith("fund BLF1 class J tier residual: ")
    assert "expected £232,985.60" in junior and "received £233,985.60" in junior


def test_the_capital_account_statement_agrees_with_the_run(blended_url: str) -> None:
    # since inception at --to: the run's capital_account, carried interest and all; each
    # column (period, year to date) reconciles (ledger_statement asserts it)
    value = run(blended_url, "value", "--as-of", AS_OF, "--format", "json")
    statement = run(
        blended_url, "capital-account", "DCMS", "--from", "2026-07-01", "--to", AS_OF,
        "--format", "json",
    )  # fmt: skip
    assert statement.exit_code == 0, statement.stderr
    [account] = json.loads(statement.stdout)["accounts"]
    [dcms] = [i for i in json.loads(value.stdout)["investors"] if i["investor_id"] == "DCMS"]
    since = {k: v for k, v in account["since_inception"].items() if k != "committed"}
    assert since == dcms["capital_account"]
    period = account["period"]
    moved = sum(sign * Decimal(period.get(key, "0")) for key, sign in MOVEMENT_SIGNS.items())
    assert Decimal(period["beginning"]) + moved == Decimal(period["ending"]) == Decimal(dcms["nav"])
