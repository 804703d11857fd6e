"""The README's Python example runs as written, in a folder laid out as `make demo` leaves it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from passu.cli.main import cli

ROOT = Path(__file__).resolve().parents[1]


def _python_blocks(markdown: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", markdown, flags=re.S)


def test_the_readme_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = _python_blocks((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(blocks) == 1, "the README has one Python example"
    shutil.copytree(ROOT / "sample", tmp_path / "sample")
    (tmp_path / "passu-demo").mkdir()
    monkeypatch.chdir(tmp_path)
    url = "sqlite:///passu-demo/passu.db"
    runner = CliRunner()
    for args in (["init"], ["import", "sample"]):
        result = runner.invoke(cli, ["--database", url, *args])
        assert result.exit_code == 0, result.output
    namespace: dict[str, object] = {}
    exec(compile(blocks[0], "README.md", "exec"), namespace)  # the example asserts its own claim
    run = namespace["run"]
    # The figures it names are the README's published sample figures.
    assert f"{run.fund.nav:,.2f}" == "1,130,724.91"  # type: ignore[attr-defined]
    assert round(run.fund.net_irr, 4) == 0.0091  # type: ignore[attr-defined]
