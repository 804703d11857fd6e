"""docs/api.md's example runs, against the sample imported into a fresh database."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from passu.cli.main import cli

ROOT = Path(__file__).parents[1]


def test_the_api_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    demo = tmp_path / "passu-demo"
    demo.mkdir()
    url = f"sqlite:///{demo / 'passu.db'}"
    for args in (["init"], ["import", str(ROOT / "sample")]):
        result = CliRunner().invoke(cli, ["--database", url, "--quiet", *args])
        assert result.exit_code == 0, result.stderr
    (tmp_path / "sample").symlink_to(ROOT / "sample")
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    (code,) = re.findall(r"```python\n(.*?)```", text, re.S)
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    exec(compile(code, "docs/api.md", "exec"), namespace)  # the asserts in it must hold
    assert os.path.exists(demo / "passu.db")
    assert namespace["text"] == namespace["run"].to_json()  # type: ignore[attr-defined]
