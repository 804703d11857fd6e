"""`passu demo` writes its pack through the cache that `passu report committee` uses by
default for the demo's database, so the next pack of the same run reuses every part."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from passu.cli.main import cli


def test_the_demo_pack_warms_the_default_cache(tmp_path: Path) -> None:
    demo = CliRunner().invoke(cli, ["demo", "--dir", str(tmp_path)])
    assert demo.exit_code == 0, demo.stderr
    cache = tmp_path / "passu.db.pack-cache"
    assert list((cache / "parts").glob("*.part"))
    as_of = re.search(r"committee-ALL-(\d{4}-\d\d-\d\d)\.pdf", demo.stdout)
    assert as_of is not None
    again = CliRunner().invoke(
        cli,
        [
            "--database", f"sqlite:///{tmp_path / 'passu.db'}", "report", "committee",
            "--as-of", as_of.group(1), "-o", str(tmp_path / "again.pdf"),
        ],
    )  # fmt: skip
    assert again.exit_code == 0, again.stderr
    reused = re.search(r"pages of (\d+) of (\d+) parts reused", again.stderr)
    assert reused is not None and reused.group(1) == reused.group(2), again.stderr
