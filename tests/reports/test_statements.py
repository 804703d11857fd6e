"""Statements show one investor's figures and never another investor's name or amounts."""

from __future__ import annotations

import re
import shutil

import pytest
from click.testing import CliRunner

from passu.cli.main import cli
from passu.portfolio.register import load_all
from passu.portfolio.reporting import statement_bundle
from passu.portfolio.store.runs import get_run
from passu.reports.formatting import money_full
from passu.reports.statements import write_statement

from .builders import AS_OF, edit_csv
from .pdf import pages_as_png, pdf_text
from .runs import reportable_portfolio


def _others(engine, investor_id):
    """(id, name) of every investor other than ``investor_id`` and the funds themselves."""
    investors = load_all(engine, AS_OF).investors
    others = investors[(investors["investor_id"] != investor_id) & (investors["kind"] != "fund")]
    return list(zip(others["investor_id"], others["name"], strict=True))


def _named(text, investor_id, name):
    return name in text or re.search(rf"\b{re.escape(investor_id)}\b", text) is not None


def test_shareholder_statement_holds_its_own_figures_and_no_one_elses(sample_engine, artefacts):
    path = artefacts / "shareholder-DCMS.pdf"
    write_statement(statement_bundle(sample_engine, AS_OF), "DCMS", path, "shareholder")
    text = pdf_text(path)
    document = get_run(sample_engine, AS_OF).document
    own = [i for i in document["investors"] if i["investor_id"] == "DCMS"]
    assert len(own) == 2  # SOF1 and SOF2
    for account in own:
        assert money_full(account["committed"]) in text
        assert money_full(account["distributed"]) in text
    assert "Department for Culture, Media and Sport" in text
    assert [o for o in _others(sample_engine, "DCMS") if _named(text, *o)] == []
    # every other investor's own amounts stay out too
    others = [i for i in document["investors"] if i["investor_id"] != "DCMS"]
    assert [i for i in others if money_full(i["paid_in"]) in text] == []
    assert "Passed for share class SOF1/A" in text
    if shutil.which("pdftoppm"):  # to look at (test-artefacts/)
        assert len(pages_as_png(path, artefacts, pages=2)) == 2


def _two_investor_class(folder):
    def split(rows):
        for row in rows:
            if row["fund_id"] == "SOF2" and row["investor_id"] in ("MERF", "NSCP"):
                row["share_class"] = "B"

    edit_csv(folder, "commitments", split)


@pytest.fixture(scope="module")
def small_class_engine(tmp_path_factory):
    return reportable_portfolio(tmp_path_factory.mktemp("small-class"), edit=_two_investor_class)


def test_a_class_of_two_shows_figures_per_pound_only(small_class_engine, artefacts):
    path = artefacts / "capital-account-MERF-small-class.pdf"
    write_statement(statement_bundle(small_class_engine, AS_OF), "MERF", path, "capital-account")
    text = pdf_text(path)
    document = get_run(small_class_engine, AS_OF).document
    klass = next(
        c for c in document["share_classes"] if (c["fund_id"], c["share_class"]) == ("SOF2", "B")
    )
    fund = next(f for f in document["funds"] if f["fund_id"] == "SOF2")
    assert klass["investors"] == 2
    assert "fewer than 3" in text
    assert "Totals of your class and fund" not in text
    # the class's and the fund's totals would give the other investor's by subtraction
    for amount in ("committed", "paid_in", "distributed", "nav"):
        assert money_full(klass[amount]) not in text
        assert money_full(fund[amount]) not in text
    assert not _named(text, "NSCP", "Northern Social Capital")
    mine = next(i for i in document["investors"] if i["investor_id"] == "MERF")
    assert money_full(mine["committed"]) in text
    assert "Your calls and distributions" in text


def test_capital_account_command_writes_a_sensibly_named_file(sample_engine, tmp_path, monkeypatch):
    url = sample_engine.url.render_as_string(hide_password=False)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        cli,
        [
            "--database",
            url,
            "report",
            "capital-account",
            "--investor",
            "CWSI",
            "--as-of",
            "2026-10-31",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "capital-account-CWSI-2026-10-31.pdf"
    text = pdf_text(tmp_path / "capital-account-CWSI-2026-10-31.pdf")
    assert "Commonweal Social Investment" in text
    assert not [o for o in _others(sample_engine, "CWSI") if _named(text, *o)]


def test_unknown_investor_is_a_usage_error(sample_engine, tmp_path):
    url = sample_engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(
        cli,
        [
            "--database",
            url,
            "report",
            "shareholder",
            "--investor",
            "NOPE",
            "--as-of",
            "2026-10-31",
            "-o",
            str(tmp_path / "x.pdf"),
        ],
    )
    assert result.exit_code == 2
    assert "NOPE" in result.output


# --- issue 18: a return over less than a year is shown as such, wherever an IRR is -------


def _short_document() -> dict:
    """The one-investor fund of tests/valuation/test_run_edges.py: −100 on 2025-10-01,
    NAV 101 at 2026-01-01 (92 days): no IRR anywhere, a period return of 101/100 − 1 = 1%."""
    import json

    from passu.valuation.valuer import value

    from ..valuation.test_run_edges import ANNUAL, YIELDS, T, short_fund

    ledger = short_fund()
    run = value(
        ledger, T, "F1", gilt_yields=YIELDS, annual_benchmarks=ANNUAL,
        unit_values=ledger.unit_values,
    )  # fmt: skip
    return json.loads(run.to_json())


def test_a_short_period_shows_the_period_return_marked_not_an_irr() -> None:
    from passu.portfolio.value_view import tables
    from passu.reports.portfolio_tables import (
        PERIOD_NOTE,
        investors_table,
        share_classes_table,
    )
    from passu.reports.statements import _account_table, _ratios

    document = _short_document()
    [account] = document["investors"]
    [klass] = document["share_classes"]
    # The statement's capital account: 1.00% over the period, and why it is not an IRR.
    rows = dict(_account_table(account).rows)
    assert rows["IRR"] == "1.00% (period) (less than a year: not annualised)"
    # The comparison: the investor, its class and the fund's net, each 1.00% (period).
    assert _ratios("you", account, "irr")[-1] == "1.00% (period)"
    assert _ratios("class", klass, "irr")[-1] == "1.00% (period)"
    fund = document["fund"]
    assert _ratios("fund", fund, "net_irr", "net_period_return")[-1] == "1.00% (period)"
    # The committee pack's tables mark it and explain the mark.
    investors = investors_table(document)
    assert investors.rows[0][-1] == "1.0% (period)" and PERIOD_NOTE in investors.notes
    classes = share_classes_table(document)
    assert classes.rows[0][-1] == "1.0% (period)" and PERIOD_NOTE in classes.notes
    # `passu value`'s tables: a period return column beside the capital accounts' and
    # share classes' IRR.
    listed = {t.title: t for t in tables(document)}
    for title in ("Capital accounts", "Share classes"):
        names = [c.name for c in listed[title].columns]
        row = dict(zip(names, listed[title].rows[0], strict=True))
        assert (row["irr"], row["period_return"]) == (None, 0.01)


def test_both_statements_show_the_ilpa_lines_of_the_stored_run(sample_engine):
    # Issue 13: the lines are the run's capital_account (since inception), the ending
    # balance the account's NAV, and each reconciles: beginning + movements = ending.
    from decimal import Decimal

    from passu.reports.statements import build_statement
    from passu.valuation.capital_lines import MOVEMENT_SIGNS, STATEMENT_LINES

    bundle = statement_bundle(sample_engine, AS_OF)
    accounts = [i for i in bundle.run.document["investors"] if i["investor_id"] == "DCMS"]
    labels = {line.key: line.label for line in STATEMENT_LINES}
    for kind in ("shareholder", "capital-account"):
        statement = build_statement(bundle, "DCMS", kind)
        for section, account in zip(statement.sections, accounts, strict=True):
            assert section.lines is not None
            shown = dict(section.lines.rows)
            lines = account["capital_account"]
            assert shown == {labels[k]: money_full(v) for k, v in lines.items()}
            assert shown["Ending balance"] == money_full(account["nav"])
            # carried_interest: only an account of a fund with terms has the line
            moved = sum(sign * Decimal(lines.get(key, "0")) for key, sign in MOVEMENT_SIGNS.items())
            assert Decimal(lines["beginning"]) + moved == Decimal(lines["ending"])
