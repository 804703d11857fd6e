"""HTML from the package's Jinja2 templates, PDF from WeasyPrint, both locked down.

Names, notes and descriptions come from users' files, so nothing they contain
may make the renderer act: Jinja2 autoescapes every placed value (markup and
``{{ ... }}`` in a name are text, never template source), and WeasyPrint gets a
URL fetcher that serves only the package's own template files and the
``data:`` URIs passu writes itself. Any other URL (a local file, the network)
raises, so even markup that slipped through could not read or reach anything.
"""

from __future__ import annotations

import base64
import hashlib
import re
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import jinja2
import markupsafe
import weasyprint
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

TEMPLATES = "passu.templates"
_STATIC_SUFFIXES = (".css", ".svg")


class RefusedURL(FatalURLFetchingError):
    """The renderer was asked for something other than passu's own files: rendering stops."""


def _template_source(name: str) -> str:
    return files(TEMPLATES).joinpath(name).read_text(encoding="utf-8")


_REFERENCED = re.compile(r"""\{%-?\s*(?:import|include|from|extends)\s+["']([^"']+)["']""")


def template_digest(*templates: str) -> str:
    """SHA-256 of ``templates``, every template they import or include, and the
    stylesheet: what a page rendered from them depends on (the pack cache's key)."""
    names, pending = {"report.css"}, list(templates)
    while pending:
        name = pending.pop()
        if name not in names:
            names.add(name)
            pending += _REFERENCED.findall(_template_source(name))
    digest = hashlib.sha256()
    for name in sorted(names):
        digest.update(f"{name}\0{_template_source(name)}\0".encode())
    return digest.hexdigest()


def _templates_dir() -> Path:
    return Path(str(files(TEMPLATES))).resolve()


_ENV = jinja2.Environment(
    loader=jinja2.FunctionLoader(_template_source),
    autoescape=True,  # every template, whatever its suffix
    undefined=jinja2.StrictUndefined,  # a misspelt field fails the render, never prints ""
    trim_blocks=True,
    lstrip_blocks=True,
)


# What a page can hold of one piece of text. Names come from users' files and may be
# anything: an unbroken 5,000-character name would push a table's figure columns off
# the page, and WeasyPrint's time to break a line grows with the length of the word.
# The pack shows the text shortened, with "…"; the stored run keeps it whole.
WORD_AT_MOST = 100  # characters without a space: a long web address fits, and wraps
TEXT_AT_MOST = 1_000  # a paragraph: any of passu's own is shorter
CELL_AT_MOST = 500  # a table cell: a row must fit on a page
# A word sets its table column's narrowest width: beyond this, a name would squeeze the
# figure columns off the page. The evaluations' web addresses have a column of their own.
CELL_WORD_AT_MOST = 40
ELLIPSIS = "…"


def fit(value: Any, text_at_most: int = TEXT_AT_MOST, word_at_most: int = WORD_AT_MOST) -> Any:
    """``value`` as a page can hold it: each word at most ``word_at_most`` characters
    and the whole at most ``text_at_most``, shortened with "…".

    Markup (a macro's output) is passed through untouched; anything else is text.
    """
    if isinstance(value, markupsafe.Markup) or value is None:
        return value
    text = str(value)
    if len(text) > text_at_most:
        text = text[: text_at_most - 1] + ELLIPSIS
    if len(text) > word_at_most:
        long_word = re.compile(rf"\S{{{word_at_most + 1},}}")
        text = long_word.sub(lambda m: m.group(0)[: word_at_most - 1] + ELLIPSIS, text)
    return text


_ENV.filters["fit"] = fit
_ENV.globals.update(
    CELL_AT_MOST=CELL_AT_MOST, CELL_WORD_AT_MOST=CELL_WORD_AT_MOST, WORD_AT_MOST=WORD_AT_MOST
)


def render_html(template: str, **context: Any) -> str:
    return _ENV.get_template(template).render(**context)


def template_macros(template: str) -> Any:
    """A template's macros, to call from Python; each returns escaped markup."""
    return _ENV.get_template(template).module


class SafeFetcher(URLFetcher):
    """WeasyPrint's URL fetcher: the package's templates folder and our data: URIs only.

    ``requested`` records every URL WeasyPrint asked for, allowed or not, so a test can
    prove a hostile name never reached the fetcher at all. A refused URL stops the
    render (:class:`RefusedURL` is fatal to WeasyPrint) rather than leaving a gap.
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("file", "data"), fail_on_errors=True)
        self.allowed_data: set[str] = set()
        self.requested: list[str] = []

    def data_uri(self, media_type: str, payload: bytes) -> str:
        uri = f"data:{media_type};base64,{base64.b64encode(payload).decode('ascii')}"
        self.allowed_data.add(uri)
        return uri

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        self.requested.append(url)
        if url.startswith("data:"):
            if url not in self.allowed_data:
                raise RefusedURL("a data: URI passu did not write")
            header, _, payload = url.partition(",")
            media_type = header[5:].split(";")[0]
            return URLFetcherResponse(url, base64.b64decode(payload), {"Content-Type": media_type})
        parsed = urlparse(url)
        if parsed.scheme == "file":
            path = Path(unquote(parsed.path)).resolve()
            root = _templates_dir()
            if path.is_relative_to(root) and path.suffix in _STATIC_SUFFIXES and path.is_file():
                mime = "text/css" if path.suffix == ".css" else "image/svg+xml"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})
        raise RefusedURL(f"passu renders only its own files; refused {url[:80]!r}")


def write_pdf(html: str, path: Path, *, fetcher: SafeFetcher | None = None) -> SafeFetcher:
    """Render ``html`` (made by :func:`render_html`) to ``path``; returns the fetcher used."""
    fetcher = fetcher or SafeFetcher()
    css = report_css(fetcher)
    document = weasyprint.HTML(string=html, base_url=base_url(), url_fetcher=fetcher)
    path.parent.mkdir(parents=True, exist_ok=True)
    # A fixed identifier and no clock in the metadata; the font subsets still carry a
    # timestamp, so two renders show the same figures but may differ in a few bytes.
    document.write_pdf(path, stylesheets=[css], pdf_identifier=b"passu")
    return fetcher


def report_css(fetcher: SafeFetcher) -> weasyprint.CSS:
    """The reports' one stylesheet, fetched through ``fetcher`` like everything else."""
    return weasyprint.CSS(
        string=_template_source("report.css"), url_fetcher=fetcher, base_url=base_url()
    )


def base_url() -> str:
    return _templates_dir().as_uri() + "/"
