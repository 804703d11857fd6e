"""passu marks propose|accept (issue #15 item 3), on a portfolio worked by hand.

The portfolio is ``a_portfolio`` made active at T = 2014-12-31, with one future forecast
and one cost forecast, valued at a given rate of 10%:

- metric M1 (£1,500 an outcome): forecast 10 + 10, achieved 12 + 8 to T → ratio 20 ÷ 20 = 1;
- arrears: achieved 20 × £1,500 = £30,000 − paid £18,000 (3 × £6,000) = £12,000, expected
  at the next period end, 2015-12-31;
- expected 2015-12-31: forecast 20 × ratio 1 × £1,500 = £30,000 (cap £500,000: headroom
  £482,000, not binding);
- cost forecast 2015-12-31: £9,000;
- net cash 2015-12-31 = £12,000 + £30,000 − £9,000 = £33,000, 365 days after T:
  worth £33,000 ÷ 1.10 = £30,000.00 at T;
- cash the project holds at T: drawn £60,000 + £40,000 + outcome payments £18,000 − spent
  £40,000 + £9,000 (both 2014-06-30) − returned nil (the interest is dated 2015) = £69,000;
- value = £69,000 + £30,000 = £99,000.00;
- holdings: F1/A and CO1/A, loans without terms (no coupon), claims £60,000 and £40,000
  (cost outstanding), £100,000 together ≥ the value: shared pro rata to commitment
  150,000 : 100,000 → F1 £59,400.00, CO1 £39,600.00;
- current: F1/A marked £61,000 on T; CO1/A unmarked, at cost outstanding £40,000.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, func, select

from passu.cli.main import cli
from passu.portfolio.interchange.importer import import_portfolio
from passu.portfolio.store import audit
from passu.portfolio.store.models import Mark
from tests.portfolio.builders import a_portfolio, write_csvs

T = "2014-12-31"
DAY = dt.date(2014, 12, 31)


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--database", url, "--quiet", *args])


def forecast_portfolio() -> dict[str, list[dict[str, str]]]:
    tables = a_portfolio()
    tables["projects"][0]["status"] = "active"
    tables["outcomes"].append(
        {"metric_id": "M1", "period_end": "2015-12-31", "forecast": "20", "achieved": "0"}
    )
    tables["cost_forecasts"] = [
        {"project_id": "P1", "period_end": "2015-12-31", "category": "delivery", "amount": "9000"}
    ]
    return tables


@pytest.fixture
def loaded(engine: Engine, db_url: str, tmp_path: Path) -> str:
    import_portfolio(engine, write_csvs(tmp_path / "p", forecast_portfolio()), user="alice")
    return db_url


def marks_on(engine: Engine, day: dt.date) -> dict[str, str]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                Mark.project_id, Mark.holder_id, Mark.tranche, Mark.fair_value, Mark.method
            ).where(Mark.date == day)
        ).all()
    return {f"{r.project_id}/{r.holder_id}/{r.tranche}": f"{r.fair_value} {r.method}" for r in rows}


def test_propose_gives_the_hand_worked_values(loaded: str) -> None:
    result = run(loaded, "marks", "propose", "--as-of", T, "--rate", "0.10", "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["as_of"] == T
    holdings = {f"{h['holder_id']}/{h['tranche']}": h for h in document["holdings"]}
    assert holdings["F1/A"]["proposed"] == "59400.00"
    assert holdings["F1/A"]["current"] == "61000.00"
    assert holdings["F1/A"]["difference"] == "-1600.00"  # 59,400 − 61,000
    assert holdings["CO1/A"]["proposed"] == "39600.00"
    assert holdings["CO1/A"]["current"] == "40000.00"
    assert holdings["CO1/A"]["method"] == "dcf_expected_outcomes"
    assert set(document["holdings"][0]) >= {
        "project_id", "holder_id", "tranche", "proposed", "current", "difference", "rate",
        "method", "note",
    }  # fmt: skip
    (project,) = document["projects"]
    assert project["value"] == "99000.00"
    assert project["cash_held"] == "69000.00"
    assert project["expected_payments"] == "42000.00"  # arrears 12,000 + 30,000
    assert project["expected_costs"] == "9000.00"
    assert project["rate"] == 0.1
    assert project["performance"][0]["metric_id"] == "M1"
    assert project["performance"][0]["ratio"] == 1.0
    assert project["cap_headroom"] == "440000.00"  # 500,000 − 18,000 paid − 42,000 expected
    assert document["totals"] == {
        "proposed": "99000.00",
        "current": "101000.00",
        "difference": "-2000.00",  # (59,400 − 61,000) + (39,600 − 40,000)
    }


def test_propose_table_csv_and_xlsx(loaded: str, tmp_path: Path) -> None:
    table = run(loaded, "marks", "propose", "--as-of", T, "--rate", "0.10")
    assert table.exit_code == 0, table.stderr
    assert "£59,400.00" in table.stdout and "£99,000.00" in table.stdout
    csv = run(loaded, "marks", "propose", "--as-of", T, "--rate", "0.10", "--format", "csv")
    assert "P1,F1,A,loan,59400.00,61000.00,-1600.00,0.1," in csv.stdout
    book = tmp_path / "marks.xlsx"
    xlsx = run(loaded, "marks", "propose", "--as-of", T, "--format", "xlsx", "-o", str(book))
    assert xlsx.exit_code == 0, xlsx.stderr
    assert book.stat().st_size > 0


@pytest.mark.parametrize(
    ("args", "found"),
    [
        (("--rate", "twelve"), "'twelve'"),
        (("--rate", "50"), "found 50"),
        (("--performance", "hoped"), "hoped"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(loaded: str, args: tuple[str, ...], found: str):
    result = run(loaded, "marks", "propose", "--as-of", T, *args)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and found in result.stderr
    assert "Traceback" not in result.stderr


def test_accept_then_value_uses_the_accepted_marks(loaded: str, engine: Engine) -> None:
    before = len(audit.entries(engine))
    # F1/A already has a mark on T (imported): refused, nothing written
    refused = run(loaded, "marks", "accept", "--as-of", T, "--rate", "0.10", "--note", "IC")
    assert refused.exit_code == 3
    assert "P1/F1/A already marked on 2014-12-31" in refused.stderr
    assert refused.stderr.count("\n") == 1
    assert marks_on(engine, DAY) == {"P1/F1/A": "61000.00 cost"}
    assert len(audit.entries(engine)) == before

    accepted = run(
        loaded, "marks", "accept", "--as-of", T, "--rate", "0.10", "--note", "IC", "--replace"
    )
    assert accepted.exit_code == 0, accepted.stderr
    assert "wrote 2 marks dated 2014-12-31, replacing 1" in accepted.stdout
    assert marks_on(engine, DAY) == {
        "P1/F1/A": "59400.00 dcf_expected_outcomes",
        "P1/CO1/A": "39600.00 dcf_expected_outcomes",
    }
    entry = audit.entries(engine)[-1]
    assert entry.command == "marks accept" and entry.user
    assert entry.details["replaced"] == [
        {
            "holding": "P1/F1/A",
            "fair_value": "61000.00",
            "method": "cost",
            "note": "at cost plus accrued",
        }
    ]
    assert audit.verify(engine).intact

    valued = run(loaded, "value", "--as-of", T, "--format", "json")
    assert valued.exit_code == 0, valued.stderr
    navs = {
        f"{h['holder_id']}/{h['tranche']}": h["nav"] for h in json.loads(valued.stdout)["holdings"]
    }
    assert navs == {"F1/A": "59400.00", "CO1/A": "39600.00"}


def test_accept_one_holding_keeps_the_note(loaded: str, engine: Engine) -> None:
    result = run(
        loaded, "marks", "accept", "--as-of", T, "--rate", "0.10",
        "--holding", "P1/CO1/A", "--note", "co-investor only",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    with engine.connect() as conn:
        note = conn.execute(
            select(Mark.note).where(Mark.holder_id == "CO1", Mark.date == DAY)
        ).scalar_one()
    assert note.startswith("co-investor only")
    unknown = run(
        loaded, "marks", "accept", "--as-of", T, "--holding", "P1/NOBODY/A", "--note", "x"
    )
    assert unknown.exit_code == 2 and "P1/NOBODY/A" in unknown.stderr


def test_accept_in_an_approved_period_is_refused_with_nothing_written(
    loaded: str, engine: Engine
) -> None:
    for args in (("value", "--as-of", T, "--save"), ("runs", "approve", T)):
        result = run(loaded, *args)
        assert result.exit_code == 0, result.stderr
    with engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(Mark)).scalar_one()
    entries = len(audit.entries(engine))
    refused = run(
        loaded, "marks", "accept", "--as-of", T, "--rate", "0.10", "--note", "IC", "--replace"
    )
    assert refused.exit_code == 3
    assert "locked by an approved run" in refused.stderr
    assert refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Mark)).scalar_one() == count
    assert marks_on(engine, DAY) == {"P1/F1/A": "61000.00 cost"}
    assert len(audit.entries(engine)) == entries


def test_a_saved_run_carries_the_fair_value_section_for_the_pack(
    loaded: str, engine: Engine
) -> None:
    from passu.portfolio.store import runs

    result = run(loaded, "value", "--as-of", T, "--save")
    assert result.exit_code == 0, result.stderr
    document = json.loads(runs.get_run(engine, DAY).figures)
    section = document["fair_value"]
    assert section["paths"] == 2000 and section["seed"] == 1
    assert set(section["projects"]) == {"P1"}
    (holding,) = section["funds"]["F1"]["holdings"]  # the fund's own holdings only
    assert (holding["project_id"], holding["tranche"], holding["current"]) == (
        "P1",
        "A",
        "61000.00",
    )
    assert section["projects"]["P1"]["performance_ratio"] == 1.0  # achieved 20 ÷ forecast 20
