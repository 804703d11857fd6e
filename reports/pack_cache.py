"""The committee pack's cache of laid-out pages: each unit's pages, kept between packs.

A month's pack differs from the last one in a few projects' pages (completed projects
never change), and laying out pages is nearly all of a pack's time. So each unit of
the body (the fund's sections, a project's pages, the methods) is cached under a
fingerprint of what decides its layout: its HTML (charts included, as data: URIs),
the pack's templates (with those they import) and the stylesheet, WeasyPrint's and
pydyf's versions and
:data:`RENDERER_VERSION`. A unit whose fingerprint is found reuses its pages; only
the opening (the contents' page numbers), the furniture (page numbers, header,
footer) and the joins are done again.

The folder holds one file per rendered part (``parts/<sha256>.part``): a JSON header
naming the units it holds (fingerprint, first page, page sizes, anchors, links,
bookmarks) and the SHA-256 of the PDF that follows. Units rendered together share
one file, so the pack copies their fonts once. Files are written to a temporary name
and renamed, so a reader sees a whole file or none; a file that does not parse or
whose PDF does not match its checksum is ignored (its units are laid out again) and
removed.

The cache is bounded: every pack records the files it used (``packs/``), and a file
no pack among the last :data:`KEEP_PACKS` used is deleted when a pack finishes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pydyf
import weasyprint

from .parts import Bookmark, Link, RenderedPart, Unit
from .render import template_digest

# Raise when a change to passu alters laid-out pages in a way the HTML and templates
# do not show (the part stylesheet in parts.py, how parts are rendered or cut): every
# cached page is then laid out again.
RENDERER_VERSION = 1
# A cache file is kept while one of the last KEEP_PACKS packs rendered with this cache
# used it: this month's, last month's, and room for fund-level packs and re-runs.
KEEP_PACKS = 5
# The templates the pack's units are rendered from (with those they import, and the
# stylesheet): a change to any of them lays every unit out again.
PACK_TEMPLATES = ("committee.html", "committee_parts.html")
_MAGIC = b"passu-pack-part 1\n"
_SUFFIX = ".part"
_STALE_TEMPORARY = 3600.0  # seconds: a temporary file this old belongs to no live writer


def renderer_digest() -> str:
    """What every unit's layout depends on besides its own HTML: the renderer's version,
    WeasyPrint's and pydyf's, and the pack's templates and the stylesheet."""
    return hashlib.sha256(
        "\0".join(
            (
                f"renderer {RENDERER_VERSION}",
                f"weasyprint {weasyprint.__version__}",
                f"pydyf {pydyf.__version__}",
                template_digest(*PACK_TEMPLATES),
            )
        ).encode("utf-8")
    ).hexdigest()


def unit_fingerprint(unit: Unit, renderer: str) -> str:
    """SHA-256 over everything that decides how ``unit`` lays out; ``renderer`` is
    :func:`renderer_digest`, worked out once per pack."""
    digest = hashlib.sha256(renderer.encode("ascii"))
    for piece in (unit.html, *sorted(unit.allowed_data)):
        digest.update(b"\0")
        digest.update(piece.encode("utf-8"))
    return digest.hexdigest()


def unit_fingerprints(units: Sequence[Unit]) -> list[str]:
    """Each unit's fingerprint, as the pack looks its pages up."""
    renderer = renderer_digest()
    return [unit_fingerprint(unit, renderer) for unit in units]


def default_cache_dir(sqlite_file: Path | None, database_url: str) -> Path:
    """Where the pack cache lives unless ``--cache`` says: beside a SQLite file, as
    ``<file>.pack-cache/``; for any other database (PostgreSQL, in-memory SQLite), in the
    user's cache folder, ``$XDG_CACHE_HOME/passu/pack/<hash of the URL>/`` (default
    ``~/.cache``), the URL hashed without its password."""
    if sqlite_file is not None:
        return sqlite_file.with_name(sqlite_file.name + ".pack-cache")
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    key = hashlib.sha256(database_url.encode("utf-8")).hexdigest()[:16]
    return base / "passu" / "pack" / key


class PackCache:
    """The units' laid-out pages in ``folder`` (made when first written)."""

    def __init__(self, folder: Path, *, keep_packs: int = KEEP_PACKS) -> None:
        self.folder = folder
        self.keep_packs = keep_packs
        self.started = time.time()
        self.used: set[str] = set()  # cache files this pack took pages from or wrote
        self.hits = 0
        self.misses = 0

    @property
    def _parts(self) -> Path:
        return self.folder / "parts"

    @property
    def _packs(self) -> Path:
        return self.folder / "packs"

    def lookup(self, fingerprints: Sequence[str]) -> dict[str, RenderedPart]:
        """The cached pages of each fingerprint found, as slices of their file's PDF."""
        wanted = set(fingerprints)
        found: dict[str, RenderedPart] = {}
        for path in sorted(self._parts.glob(f"*{_SUFFIX}")) if self._parts.is_dir() else []:
            entry = _read(path, wanted - found.keys())
            if entry is None:
                continue
            if entry:
                self.used.add(path.name)
                found.update(entry)
        self.hits = len(found)
        self.misses = len(wanted - found.keys())
        return found

    def store(self, units: Sequence[tuple[str, RenderedPart]]) -> None:
        """Keep ``units`` (fingerprint, slice), slices of one rendered PDF, in one file.

        A cache that cannot be written (full disk, read-only folder) costs only speed:
        the pack is still written, and the next one lays these units out again.
        """
        if not units:
            return
        pdf = units[0][1].pdf
        header = {
            "pdf_sha256": hashlib.sha256(pdf).hexdigest(),
            "units": [{"fingerprint": fp, **_describe(part)} for fp, part in units],
        }
        head = json.dumps(header, sort_keys=True).encode("utf-8")
        body = b"".join((_MAGIC, len(head).to_bytes(8, "big"), head, pdf))
        name = hashlib.sha256(body).hexdigest() + _SUFFIX
        with contextlib.suppress(OSError):
            _write_atomically(self._parts / name, body)
            self.used.add(name)

    def last_contents(self, anchors: Iterable[str]) -> dict[str, str] | None:
        """The contents' page numbers of the latest recorded pack with the same entries
        (``anchors``), or None: a guess that spares laying out the opening twice when no
        entry has moved (a wrong guess costs only that second layout)."""
        wanted = set(anchors)
        records = sorted(self._packs.glob("*.json"), reverse=True) if self._packs.is_dir() else []
        for record in records:
            try:
                contents = json.loads(record.read_text(encoding="utf-8")).get("contents")
            except (OSError, ValueError, AttributeError):
                continue
            if isinstance(contents, dict) and set(contents) == wanted:
                return {str(k): str(v) for k, v in contents.items()}
        return None

    def finish(self, contents: dict[str, str] | None = None) -> None:
        """Record the files this pack used (and the contents' page numbers), then delete
        the files no recent pack used."""
        with contextlib.suppress(OSError):
            record: dict[str, Any] = {"files": sorted(self.used)}
            if contents is not None:
                record["contents"] = contents
            stamp = f"{time.time_ns():020d}-{os.getpid()}.json"
            _write_atomically(self._packs / stamp, json.dumps(record).encode("utf-8"))
            self._evict()

    def _evict(self) -> None:
        records = sorted(self._packs.glob("*.json"))
        keep, drop = records[-self.keep_packs :], records[: -self.keep_packs]
        live: set[str] = set()
        for record in keep:
            try:
                live.update(json.loads(record.read_text(encoding="utf-8"))["files"])
            except (OSError, ValueError, KeyError, TypeError):
                continue  # an unreadable record protects nothing
        for record in drop:
            record.unlink(missing_ok=True)
        for path in self._parts.iterdir():
            try:
                modified = path.stat().st_mtime
            except OSError:
                continue
            if path.name.startswith(".tmp"):
                if time.time() - modified > _STALE_TEMPORARY:  # a writer that died
                    path.unlink(missing_ok=True)
            # a file written since this pack began may belong to another pack at work
            elif path.name not in live and modified < self.started:
                path.unlink(missing_ok=True)


def _describe(part: RenderedPart) -> dict[str, Any]:
    return {
        "first": part.first,
        "sizes": [list(size) for size in part.sizes],
        "anchors": {name: list(place) for name, place in part.anchors.items()},
        "links": [asdict(link) for link in part.links],
        "bookmarks": [asdict(mark) for mark in part.bookmarks],
    }


def _slice(pdf: bytes, unit: dict[str, Any]) -> RenderedPart:
    return RenderedPart(
        pdf=pdf,
        sizes=tuple((float(w), float(h)) for w, h in unit["sizes"]),
        anchors={
            str(name): (int(page), float(x), float(y))
            for name, (page, x, y) in unit["anchors"].items()
        },
        links=tuple(
            Link(int(link["page"]), str(link["target"]), tuple(float(v) for v in link["rect"]))  # type: ignore[arg-type]
            for link in unit["links"]
        ),
        bookmarks=tuple(
            Bookmark(int(m["page"]), int(m["level"]), str(m["label"]), float(m["x"]), float(m["y"]))
            for m in unit["bookmarks"]
        ),
        requested=(),
        first=int(unit["first"]),
    )


def _read(path: Path, wanted: Iterable[str]) -> dict[str, RenderedPart] | None:
    """The ``wanted`` units in the file at ``path``; None (and the file removed) if it is
    damaged."""
    wanted = set(wanted)
    try:
        with path.open("rb") as handle:
            if handle.read(len(_MAGIC)) != _MAGIC:
                raise ValueError("not a pack cache file")
            header = json.loads(handle.read(int.from_bytes(handle.read(8), "big")))
            units = [u for u in header["units"] if u["fingerprint"] in wanted]
            if not units:
                return {}
            pdf = handle.read()
        if hashlib.sha256(pdf).hexdigest() != header["pdf_sha256"]:
            raise ValueError("the PDF does not match its checksum")
        return {u["fingerprint"]: _slice(pdf, u) for u in units}
    except FileNotFoundError:
        return None  # removed by another pack's eviction since the folder was listed
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        with contextlib.suppress(OSError):
            path.unlink()
        return None


def _write_atomically(path: Path, data: bytes) -> None:
    """``data`` at ``path``, whole or not at all: a temporary file in the folder, renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
