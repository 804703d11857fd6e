"""Where commands write: checked before any work, so a bad path is one line, exit 2.

passu writes a file, or the last folder named, but never makes the folders above it:
a mistyped path is refused at once instead of leaving a tree of folders behind, or
failing with a traceback after minutes of work. Default names built from ids (a fund
id, an investor id) keep only safe characters, so they always land in the working
folder.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from passu.portfolio.errors import UsageError

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
NAME_LENGTH_AT_MOST = 120  # characters of a default file name, well under any file system's


def safe_name_part(text: str) -> str:
    """``text`` as one part of a file name: letters, digits, ``-``, ``_`` and ``.`` only.

    Any other character (``/``, ``\\``, a space, a control character, any non-ASCII
    letter) becomes ``_``, a leading dot too (no hidden files, never ``..``), and the
    result is at most :data:`NAME_LENGTH_AT_MOST` characters.
    """
    safe = _UNSAFE.sub("_", text)
    if safe.startswith("."):
        safe = "_" + safe[1:]
    return (safe or "_")[:NAME_LENGTH_AT_MOST]


def default_file(*parts: str, suffix: str) -> Path:
    """A default output file in the working folder: ``parts`` made safe, joined by ``-``."""
    return Path("-".join(safe_name_part(p) for p in parts) + suffix)


def _writable_folder(folder: Path, target: Path) -> None:
    if not folder.exists():
        raise UsageError(f"{target}: the folder {folder} does not exist; create it first")
    if not folder.is_dir():
        raise UsageError(f"{target}: {folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK) or not _can_create_in(folder):
        raise UsageError(f"{target}: the folder {folder} is not writable")


def _can_create_in(folder: Path) -> bool:
    """Whether a file can be made in ``folder``: asked of the file system itself, since
    permissions do not tell (a read-only mount, /proc, running as root)."""
    try:
        handle, name = tempfile.mkstemp(prefix=".passu-probe-", dir=folder)
    except OSError:
        return False
    os.close(handle)
    os.unlink(name)
    return True


def output_file(path: Path) -> Path:
    """``path`` if a file can be written there: its folder exists and is writable."""
    if path.is_dir():
        raise UsageError(f"{path}: is a folder; expected a file name")
    if path.exists() and not os.access(path, os.W_OK):
        raise UsageError(f"{path}: exists and is not writable")
    _writable_folder(path.parent if str(path.parent) else Path("."), path)
    return path


def output_folder(path: Path) -> Path:
    """``path`` if files can be written into it: it is a writable folder, or can be made
    as one in a writable folder that exists."""
    if path.exists():
        if not path.is_dir():
            raise UsageError(f"{path}: is a file; expected a folder")
        if not os.access(path, os.W_OK | os.X_OK) or not _can_create_in(path):
            raise UsageError(f"{path}: the folder is not writable")
        return path
    _writable_folder(path.parent if str(path.parent) else Path("."), path)
    return path


@contextmanager
def writes_to(target: Path) -> Iterator[None]:
    """Turn the file system's refusal to write at ``target`` (or inside it) into one line.

    Only errors naming ``target`` or a path inside it are caught: any other ``OSError``
    is not about where the user asked passu to write, and is left alone.
    """
    try:
        yield
    except OSError as error:
        if error.filename is None or not _within(Path(os.fsdecode(error.filename)), target):
            raise
        reason = error.strerror or type(error).__name__
        raise UsageError(f"{target}: cannot write there ({reason.lower()})") from None


def _within(path: Path, target: Path) -> bool:
    path, target = Path(os.path.abspath(path)), Path(os.path.abspath(target))
    return path == target or target in path.parents or path in target.parents
