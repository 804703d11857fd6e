"""Reading rendered PDFs in tests: text (pypdf) and first pages as PNG to look at."""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from pathlib import Path

from pypdf import PdfReader


def pdf_text(path: Path) -> str:
    """Every page's text, pages separated by a form feed."""
    return _text(path.resolve(), path.stat().st_mtime_ns)


@functools.cache
def _text(path: Path, _modified: int) -> str:
    # several tests read the same session-wide pack; pypdf takes seconds over it
    return "\f".join(page.extract_text() for page in PdfReader(path).pages)


def squashed(text: str) -> str:
    """Text without whitespace: a long value may wrap anywhere in a PDF's layout."""
    return re.sub(r"\s+", "", text)


def page_count(path: Path) -> int:
    return len(PdfReader(path).pages)


def pages_as_png(pdf: Path, out_dir: Path, pages: int = 6, dpi: int = 70) -> list[Path]:
    """The first pages as PNG (needs poppler's pdftoppm); [] when it is not installed."""
    if shutil.which("pdftoppm") is None:
        return []
    prefix = out_dir / pdf.stem
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", "-l", str(pages), str(pdf), str(prefix)], check=True
    )
    return sorted(out_dir.glob(f"{pdf.stem}-*.png"))
