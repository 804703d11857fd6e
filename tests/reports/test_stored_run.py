"""Reports render the stored run and nothing else: no database once the run is read, no
SQLAlchemy in reports/, and a run saved before the report sections is refused."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from passu.cli.main import cli
from passu.portfolio.report_bundle import CommitteeBundle
from passu.portfolio.reporting import committee_bundle
from passu.portfolio.store import runs
from passu.portfolio.store.run_info import StoredRun
from passu.reports.committee import build_committee_pack, render_committee_pack
from passu.valuation.report_sections import SECTION_KEYS

from .builders import AS_OF, sample_portfolio
from .pdf import pdf_text
from .runs import document_with_sections, reportable_portfolio

REPORTS = Path(__file__).resolve().parents[2] / "reports"


def test_the_pack_renders_with_the_database_gone(tmp_path):
    engine = reportable_portfolio(tmp_path / "db", scopes=("SOF1",))
    bundle = committee_bundle(engine, AS_OF, "SOF1")
    engine.dispose()
    shutil.rmtree(tmp_path / "db")  # the database file and the portfolio folder
    path = tmp_path / "pack.pdf"
    render_committee_pack(build_committee_pack(bundle), path)
    text = pdf_text(path)
    assert "Social Outcomes Fund I (SOF1)" in text
    assert "£10.0m" in text  # SOF1's commitments, £10,000,000.00
    assert "£8.4m" in text  # SOF1's distributions, £8,364,223.58


def test_the_pack_renders_from_a_run_read_back_from_its_json(sample_engine, tmp_path):
    stored = committee_bundle(sample_engine, AS_OF, "SOF1")
    text = tmp_path / "run.json"
    text.write_text(stored.run.figures, encoding="utf-8")
    run = StoredRun(stored.run.info, text.read_text(encoding="utf-8"))
    pack = build_committee_pack(CommitteeBundle(run, None, None, None))
    assert pack.bridge.table is None
    assert pack.cover.subtitle == "Social Outcomes Fund I (SOF1)"
    assert [g.figures[0].text for g in pack.headline[:1]] == ["£10.0m"]
    assert len(pack.projects) == len(json.loads(run.figures)["projects"])


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_reports_imports_no_sqlalchemy():
    modules = sorted(REPORTS.glob("*.py"))
    assert len(modules) > 10
    direct = {m.name: sorted(i for i in _imports(m) if i.split(".")[0] == "sqlalchemy")
              for m in modules}  # fmt: skip
    assert {name: found for name, found in direct.items() if found} == {}
    # nor through what they import: load every module of the package in a clean process
    names = [f"passu.reports.{m.stem}" for m in modules if m.stem != "__init__"]
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sqlalchemy'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_run_saved_before_the_report_sections_is_refused(tmp_path):
    engine = sample_portfolio(tmp_path, scopes=())
    document = json.loads(document_with_sections(engine, AS_OF, "SOF1"))
    old = {k: v for k, v in document.items() if k not in SECTION_KEYS}
    runs.save_run(
        engine,
        as_of=AS_OF,
        scope="SOF1",
        fingerprint=old["fingerprint"],
        figures=json.dumps(old, indent=2, ensure_ascii=False) + "\n",
        user="tester",
    )
    url = engine.url.render_as_string(hide_password=False)
    out = tmp_path / "pack.pdf"
    result = CliRunner().invoke(
        cli,
        ["--database", url, "report", "committee", "--as-of", "2026-10-31", "--fund", "SOF1",
         "-o", str(out)],
    )  # fmt: skip
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    assert "saved before passu stored what reports show" in lines[0]
    assert "passu value --as-of 2026-10-31 --fund SOF1 --save --replace" in lines[0]
    assert not out.exists()
