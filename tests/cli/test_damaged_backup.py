"""A damaged backup is refused in one line, naming what is wrong, and nothing is restored
(issue 17, item 12): a flipped bit, a cut-off file, JSON cut short, an impossible date,
an unexpected key or shape, even when whoever changed it rewrote the manifest's checksums."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from passu.cli.main import cli

from ..portfolio.builders import a_portfolio, write_csvs

pytestmark = pytest.mark.postgres  # a zip backup is PostgreSQL's; it restores into SQLite

AUDIT = "passu/audit_log.json"


def _run(url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--database", url, "-q", *args])
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def backup_zip(tmp_path_factory: pytest.TempPathFactory, pg_template: str) -> Path:
    import sqlalchemy as sa

    from ..conftest import PG_ADMIN_URL  # one throwaway database for the module

    folder = tmp_path_factory.mktemp("backup")
    name = f"passu_damaged_{folder.name[-6:]}".replace("-", "_")
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"')
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        assert _run(url, "import", str(write_csvs(folder / "p", a_portfolio())))[0] == 0
        assert _run(url, "db", "backup", str(folder / "b.zip"))[0] == 0
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
    return folder / "b.zip"


def _rewritten(source: Path, target: Path, member: str, change: Callable[[bytes], bytes]) -> None:
    """``source`` with ``member`` changed and the manifest's SHA-256 for it made to match."""
    with zipfile.ZipFile(source) as archive:
        files = {n: archive.read(n) for n in archive.namelist()}
    files[member] = change(files[member])
    manifest = json.loads(files["manifest.json"])
    for entry in manifest["tables"].values():
        if entry.get("file") == member:
            entry["sha256"] = hashlib.sha256(files[member]).hexdigest()
    files["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)


def _rows(change: Callable[[list[Any]], Any]) -> Callable[[bytes], bytes]:
    return lambda data: json.dumps(change(json.loads(data))).encode()


def _set_first(key: str, value: Any) -> Callable[[list[Any]], Any]:
    def change(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        rows[0][key] = value
        return rows

    return change


def _flip_a_bit(source: Path, target: Path) -> None:
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as archive:
        info = archive.getinfo(AUDIT)
    data[info.header_offset + 30 + len(AUDIT) + 8] ^= 0x10  # inside its compressed data
    target.write_bytes(bytes(data))


DAMAGE: dict[str, Callable[[Path, Path], None]] = {
    "a flipped bit": _flip_a_bit,
    "a cut-off file": lambda s, t: t.write_bytes(s.read_bytes()[: s.stat().st_size // 2]),
    "JSON cut short": lambda s, t: _rewritten(s, t, AUDIT, lambda d: d[: len(d) // 2]),
    "an impossible date": lambda s, t: _rewritten(
        s, t, AUDIT, _rows(_set_first("at", "2026-02-30T10:00:00"))
    ),
    "an unexpected key": lambda s, t: _rewritten(s, t, AUDIT, _rows(_set_first("forged", 1))),
    "a wrong type": lambda s, t: _rewritten(s, t, AUDIT, _rows(_set_first("id", "one"))),
    "rows as an object": lambda s, t: _rewritten(s, t, AUDIT, _rows(lambda rows: {"rows": rows})),
    "a row as a list": lambda s, t: _rewritten(s, t, AUDIT, _rows(lambda rows: [[1, 2]])),
    "a manifest version in words": lambda s, t: _rewritten(
        s, t, "manifest.json", lambda d: d.replace(b'"version": 2', b'"version": "two"')
    ),
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_backup_is_one_line_and_nothing_restored(
    damage: str, backup_zip: Path, sqlite_template: Path, tmp_path: Path
) -> None:
    shutil.copy(sqlite_template, tmp_path / "restored.db")
    url = f"sqlite:///{tmp_path / 'restored.db'}"
    damaged = tmp_path / "damaged.zip"
    DAMAGE[damage](backup_zip, damaged)
    code, output = _run(url, "db", "restore", str(damaged))
    lines = output.strip().splitlines()
    assert code == 2, output
    assert len(lines) == 1 and lines[0].startswith(f"error: {damaged}"), lines
    assert "Traceback" not in output
    assert _run(url, "list", "funds", "--format", "json") == (0, "[]\n")  # nothing restored


def test_the_undamaged_backup_restores(
    backup_zip: Path, sqlite_template: Path, tmp_path: Path
) -> None:
    shutil.copy(sqlite_template, tmp_path / "restored.db")
    url = f"sqlite:///{tmp_path / 'restored.db'}"
    assert _run(url, "db", "restore", str(backup_zip))[0] == 0
