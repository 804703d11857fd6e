"""Read the GO Lab INDIGO Impact Bond Dataset export into clean frames.

The export is a folder of CSVs (``projects.csv`` plus link tables keyed by ``Project ID``)
with long column names such as ``Overall project finance - Total investment commitment -
Amount - Exact - (Value)``, quoted multi-line text, currencies spelt several ways
("GBP ", "Russian Ruble", "Swedish"), amounts sometimes given as a min/max range and
many blanks. :func:`read_indigo` loads every row it can and reports every row it could
not load as a :class:`Skipped` (file, row, column, reason) instead of dropping it silently;
a cell it could not understand in a row it kept is reported the same way in ``warnings``.
Rows are numbered from 1 = first data record (a multi-line record counts once).

Source: Government Outcomes Lab, University of Oxford, INDIGO Impact Bond Dataset. passu
does not ship it: users point ``passu market import DIR`` at their own download.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

ATTRIBUTION = (
    "Government Outcomes Lab, University of Oxford, INDIGO Impact Bond Dataset "
    "(accessed 20 May 2025)"
)

_FINANCE = "Overall project finance - "
_CAPITAL = _FINANCE + "Total investment commitment - "
_MAX_PAY = _FINANCE + "Maximum potential outcome payment - "
# Without these, projects.csv is not the INDIGO export (NotIndigoError, exit 2).
PROJECT_KEY_COLUMNS = (
    "ID",
    "Impact Bond Name - (Value)",
    "Countries",
    _CAPITAL + "Currency - (Value)",
    _CAPITAL + "Amount - Exact - (Value)",
)


@dataclass(frozen=True)
class Skipped:
    """One row (or, in ``IndigoData.warnings``, one cell) that could not be read, and why."""

    file: str
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: row {self.row}, column {self.column}: {self.reason}"


class NotIndigoError(ValueError):
    """The folder is not an INDIGO export: projects.csv missing or lacking its key columns."""


@dataclass(frozen=True)
class IndigoData:
    """Clean frames (money as Decimal, dates as datetime.date, None where blank)."""

    projects: pd.DataFrame
    organisations: pd.DataFrame
    investments: pd.DataFrame
    outcome_payments: pd.DataFrame  # Type Actual or blank only
    results: pd.DataFrame
    outcome_metrics: pd.DataFrame
    skipped: tuple[Skipped, ...] = ()  # rows not loaded
    warnings: tuple[Skipped, ...] = ()  # cells not understood; their rows kept, value None
    planned_payments_excluded: int = 0  # Type = Planned rows: projections, left out
    missing_files: tuple[str, ...] = ()  # absent link files: their frames are empty


# Cell parsers live in indigo_cells.py; re-exported here, where callers look for them.
from passu.portfolio.market.indigo_cells import normalise_currency, parse_amount, parse_date  # noqa: E402
from passu.valuation.raw_tables import unescape_formula  # noqa: E402

__all__ = [
    "ATTRIBUTION",
    "IndigoData",
    "NotIndigoError",
    "Skipped",
    "normalise_currency",
    "parse_amount",
    "parse_date",
    "read_indigo",
]


def _ids(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


# --- reading ---------------------------------------------------------------------------

# A table's columns: output name -> (INDIGO column, kind). Kinds: text (whitespace-trimmed),
# name (inner whitespace collapsed), ids / codes (comma list -> tuple; codes upper-cased),
# date, currency (ISO code),
# amount ((low, high) Decimals, or None), count (a number, or None for prose).
Spec = dict[str, tuple[str, str]]


class _Reader:
    """Reads one file's records, collecting skipped rows and cell warnings as it goes."""

    def __init__(self, path: Path, skipped: list[Skipped], warnings: list[Skipped]):
        self.path, self.name = path, path.name
        self.skipped, self.warnings = skipped, warnings

    def records(self, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
        with self.path.open(encoding="utf-8-sig", newline="") as handle:
            rows = csv.reader(handle)
            header = [h.strip() for h in next(rows, [])]
            missing = [c for c in required if c not in header]
            if missing:
                self.skip(0, missing[0], f"file lacks column {missing[0]!r}; file not read")
                return
            for number, cells in enumerate(rows, start=1):
                if len(cells) != len(header):
                    self.skip(number, "-", f"expected {len(header)} fields, found {len(cells)}")
                    continue
                # passu's own publication escapes formula-like text (a leading
                # apostrophe); reading it back takes the apostrophe off again.
                record = dict(zip(header, map(unescape_formula, cells), strict=True))
                if any(v.strip() for v in record.values()):  # a blank line is not data
                    yield number, record

    def skip(self, row: int, column: str, reason: str) -> None:
        self.skipped.append(Skipped(self.name, row, column, reason))

    def warn(self, row: int, column: str, reason: str) -> None:
        self.warnings.append(Skipped(self.name, row, column, reason))

    def cells(self, row: int, record: dict[str, str], spec: Spec) -> dict[str, object]:
        return {name: self.cell(row, column, record.get(column, ""), kind)
                for name, (column, kind) in spec.items()}  # fmt: skip

    def cell(self, row: int, column: str, text: str, kind: str) -> object:
        text = text.strip()
        if kind == "text":
            return text
        if kind == "name":
            return " ".join(text.split())
        if kind in ("ids", "codes"):
            return _ids(text.upper() if kind == "codes" else text)
        if kind == "count":
            parsed = parse_amount(text) if text else None
            return parsed[0] if parsed and parsed[0] == parsed[1] else None
        if not text:
            return "" if kind == "currency" else None
        if kind == "currency":
            code = normalise_currency(text)
            if code is None:
                self.warn(row, column, f"unrecognised currency {text!r}, kept as written")
            return code or text
        value: object = parse_date(text) if kind == "date" else parse_amount(text)
        if value is None:
            self.warn(row, column, f"not {'a date' if kind == 'date' else 'an amount'}: {text!r}")
        return value


def _low(value: object) -> Decimal | None:
    return value[0] if isinstance(value, tuple) else None


def _high(value: object) -> Decimal | None:
    return value[1] if isinstance(value, tuple) else None


_PROJECT_SPEC: Spec = {
    "id": ("ID", "text"),
    "name": ("Impact Bond Name - (Value)", "name"),
    "stage": ("Stage of Development - (Value)", "text"),
    "countries": ("Countries", "codes"),
    "policy_sector": ("Purpose and classifications - Policy sector - (Value)", "text"),
    "social_challenge": ("Purpose and classifications - Social challenge - (Value)", "text"),
    "currency": (_CAPITAL + "Currency - (Value)", "currency"),
    "capital_min": (_CAPITAL + "Amount - Min - (Value)", "amount"),
    "capital_exact": (_CAPITAL + "Amount - Exact - (Value)", "amount"),
    "capital_max": (_CAPITAL + "Amount - Max - (Value)", "amount"),
    "capital_usd_min": (_CAPITAL + "Amount USD - Min - (Value)", "amount"),
    "capital_usd_exact": (_CAPITAL + "Amount USD - Exact - (Value)", "amount"),
    "max_outcome_payment": (_MAX_PAY + "Amount - (Value)", "amount"),
    "max_outcome_payment_currency": (_MAX_PAY + "Currency - (Value)", "currency"),
    "max_outcome_payment_usd": (_MAX_PAY + "Amount USD - (Value)", "amount"),
    "outcome_contract_signed": ("Dates - Date outcomes contract signed - (Value)", "date"),
    "start_date": ("Dates - Start date of service provision - (Value)", "date"),
    "anticipated_end_date": ("Dates - Anticipated end date of service provision - (Value)", "date"),
    "actual_end_date": ("Dates - Actual end date of service provision - (Value)", "date"),
    "organisation_ids": ("Organisations", "ids"),
    "finance_notes": (_FINANCE + "(Notes)", "text"),
    "notes": ("Notes - (Value)", "text"),
}
PROJECT_COLUMNS = [
    "id", "name", "stage", "countries", "policy_sector", "social_challenge", "currency",
    "capital_raised", "capital_min", "capital_max", "capital_is_range", "capital_raised_usd",
    "max_outcome_payment", "max_outcome_payment_currency", "max_outcome_payment_usd",
    "outcome_contract_signed", "start_date", "anticipated_end_date", "actual_end_date",
    "organisation_ids", "finance_notes", "notes",
]  # fmt: skip


def _read_projects(reader: _Reader) -> pd.DataFrame:
    rows, seen = [], set()
    for n, record in reader.records(PROJECT_KEY_COLUMNS):
        row = reader.cells(n, record, _PROJECT_SPEC)
        if not row["id"] or row["id"] in seen:
            why = f"project {row['id']} repeated; first row kept" if row["id"] else "blank ID"
            reader.skip(n, "ID", why)
            continue
        seen.add(row["id"])
        # Capital raised: the exact amount; for a range (min/max columns, or "1-2m" written
        # in the exact column) its minimum, the amount known to have been committed.
        exact, low, high = row.pop("capital_exact"), row["capital_min"], row["capital_max"]
        range_in_exact = _low(exact) != _high(exact)
        row["capital_min"] = _low(exact) if range_in_exact else _low(low)
        row["capital_max"] = _high(exact) if range_in_exact else _high(high)
        row["capital_raised"] = _low(exact) if exact else row["capital_min"]
        row["capital_is_range"] = row["capital_min"] is not None or row["capital_max"] is not None
        usd_exact, usd_min = row.pop("capital_usd_exact"), row.pop("capital_usd_min")
        row["capital_raised_usd"] = _low(usd_exact or usd_min)
        row["max_outcome_payment"] = _low(row["max_outcome_payment"])
        row["max_outcome_payment_usd"] = _low(row["max_outcome_payment_usd"])
        if row["max_outcome_payment"] is not None and not row["max_outcome_payment_currency"]:
            # One UK project gives the amount without its currency: the project's own
            # (investment) currency is the only reading that makes sense of it.
            column = _PROJECT_SPEC["max_outcome_payment_currency"][0]
            reader.warn(n, column, f"blank; taken as the project's currency {row['currency']!r}")
            row["max_outcome_payment_currency"] = row["currency"]
        rows.append(row)
    return pd.DataFrame.from_records(rows, columns=PROJECT_COLUMNS)


def _link_rows(
    reader: _Reader, projects: set[str], required: tuple[str, ...] = ()
) -> Iterator[tuple[int, dict[str, str], str]]:
    """Records of a table keyed by ``Project ID``; rows naming no known project are skipped."""
    for n, record in reader.records(("Project ID", *required)):
        project_id = record["Project ID"].strip()
        if not project_id:
            reader.skip(n, "Project ID", "blank project ID")
        elif project_id not in projects:
            reader.skip(n, "Project ID", f"project {project_id} is not in projects.csv")
        else:
            yield n, record, project_id


_ORGANISATION_SPEC: Spec = {
    "id": ("ID", "text"),
    "name": ("Name", "name"),
    "type": ("Type - (Value)", "text"),
    "country": ("Country", "text"),
    "jurisdiction": ("Jurisdiction", "text"),
}
_COMMITMENT = "Investment Commitment - "
_INVESTMENT_SPEC: Spec = {
    "investment_id": ("Id", "text"),
    "organisation_id": ("Organisation ID - (Value)", "text"),
    "role_category": ("Organisation Role Category - (Value)", "name"),
    "currency": (_COMMITMENT + "Currency - (Value)", "currency"),
    "amount": (_COMMITMENT + "Amount - Exact - (Value)", "amount"),
    "amount_min": (_COMMITMENT + "Amount - Min - (Value)", "amount"),
    "amount_max": (_COMMITMENT + "Amount - Max - (Value)", "amount"),
    "amount_usd": (_COMMITMENT + "Amount USD - Exact - (Value)", "amount"),
    "investment_type": ("Investment Type - (Value)", "name"),
    "notes": ("Notes", "text"),
}
_PAYMENT_SPEC: Spec = {
    "plan_id": ("Outcome Payment Plan Id - (Value)", "text"),
    "metric_id": ("Outcome Metric Id - (Value)", "text"),
    "period_start": ("Period - Start - (Value)", "date"),
    "period_end": ("Period - End - (Value)", "date"),
    "payer_ids": ("Payer Organisation ID - (Value)", "ids"),
    "recipient_ids": ("Recipient Organisation ID - (Value)", "ids"),
    "type": ("Type - (Value)", "text"),
    "currency": ("Payments - Currency - (Value)", "currency"),
    "amount_usd": ("Payments - Amount USD - (Value)", "amount"),
    "notes": ("Notes", "text"),
}
_PAY_AMOUNT = "Payments - Amount - (Value)"
_RESULT_SPEC: Spec = {
    "metric_id": ("Outcome Metric Id - (Value)", "text"),
    "result_level": ("Result level - (Value)", "text"),
    "result_type": ("Result type - (Value)", "text"),
    "period_start": ("Period - Start - (Value)", "date"),
    "period_end": ("Period - End - (Value)", "date"),
    # Often prose, legitimately: the number when it is one, and the text always.
    "outcomes_achieved": ("Outcomes achieved - (Value)", "count"),
    "outcomes_achieved_text": ("Outcomes achieved - (Value)", "text"),
    "number_engaged": ("Number engaged In impact bond - (Value)", "count"),
    "number_engaged_text": ("Number engaged In impact bond - (Value)", "text"),
    "notes": ("Notes", "text"),
}
_METRIC_SPEC: Spec = {
    "id": ("Id", "text"),
    "definition": ("Outcome Definition - (Value)", "text"),
    "target_population": ("Target Population - (Value)", "text"),
    "target": ("Outcome metric target - (Value)", "text"),
    "validation_method": ("Outcome validation Method - (Value)", "text"),
    "data_source": ("Data source for Outcome validation - (Value)", "text"),
    "policy_sector": ("Policy sector - (Value)", "text"),
    "notes": ("Notes", "text"),
}


def _read_organisations(reader: _Reader) -> pd.DataFrame:
    rows, seen = [], set()
    for n, record in reader.records(("ID", "Name")):
        row = reader.cells(n, record, _ORGANISATION_SPEC)
        if not row["id"] or row["id"] in seen:
            reader.skip(n, "ID", f"organisation {row['id']} repeated" if row["id"] else "blank ID")
            continue
        seen.add(row["id"])
        rows.append(row)
    return pd.DataFrame.from_records(rows, columns=list(_ORGANISATION_SPEC))


def _read_investments(reader: _Reader, projects: set[str], orgs: set[str]) -> pd.DataFrame:
    rows = []
    for n, record, project_id in _link_rows(reader, projects, ("Organisation ID - (Value)",)):
        row = {"project_id": project_id} | reader.cells(n, record, _INVESTMENT_SPEC)
        if row["organisation_id"] and row["organisation_id"] not in orgs:
            reader.warn(n, "Organisation ID - (Value)", f"{row['organisation_id']} not in orgs.csv")
        exact, low, high = row["amount"], row["amount_min"], row["amount_max"]
        # Same rule as a project's capital: exact, else the minimum of the range.
        row["amount"] = _low(exact) if exact else _low(low)
        row["amount_max"] = (
            _high(high) if high else (_high(exact) if _low(exact) != _high(exact) else None)
        )
        row["amount_min"], row["amount_usd"] = _low(low), _low(row["amount_usd"])
        rows.append(row)
    return pd.DataFrame.from_records(rows, columns=["project_id", *_INVESTMENT_SPEC])


def _read_outcome_payments(reader: _Reader, projects: set[str]) -> tuple[pd.DataFrame, int]:
    rows, planned = [], 0
    for n, record, project_id in _link_rows(reader, projects, ("Type - (Value)", _PAY_AMOUNT)):
        kind = record["Type - (Value)"].strip()
        if kind.casefold() == "planned":
            planned += 1  # a projection, not money paid
            continue
        if kind and kind.casefold() != "actual":
            reader.skip(n, "Type - (Value)", f"type {kind!r} is neither Actual nor Planned")
            continue
        text = record[_PAY_AMOUNT].strip()
        amount = parse_amount(text) if text else None
        if amount is None or amount[0] != amount[1]:
            reader.skip(n, _PAY_AMOUNT, f"no single amount: {text!r}" if text else "blank amount")
            continue
        row = {"project_id": project_id} | reader.cells(n, record, _PAYMENT_SPEC)
        # A blank type counts as paid, as SOURCE.md's and GO Lab's own totals do.
        row |= {"type": "Actual", "amount": amount[0], "amount_usd": _low(row["amount_usd"])}
        rows.append(row)
    columns = ["project_id", *_PAYMENT_SPEC, "amount"]
    return pd.DataFrame.from_records(rows, columns=columns), planned


def _read_link_table(reader: _Reader, projects: set[str], spec: Spec) -> pd.DataFrame:
    rows = [
        {"project_id": project_id} | reader.cells(n, record, spec)
        for n, record, project_id in _link_rows(reader, projects)
    ]
    return pd.DataFrame.from_records(rows, columns=["project_id", *spec])


_FILES = {
    "organisations": "orgs.csv",
    "investments": "projects_investments.csv",
    "outcome_payments": "projects_outcome_payments.csv",
    "results": "projects_results.csv",
    "outcome_metrics": "projects_outcome_metrics.csv",
}


def read_indigo(directory: str | Path) -> IndigoData:
    """Read an INDIGO Impact Bond Dataset export folder (``projects.csv`` and link tables).

    Raises :class:`NotIndigoError` when ``projects.csv`` is missing or lacks
    :data:`PROJECT_KEY_COLUMNS`. Every other problem is data: rows that could not be loaded
    are in ``skipped``, cells not understood (rows kept) in ``warnings``, absent link files in
    ``missing_files`` (their frames are empty, with the usual columns).
    """
    folder = Path(directory)
    projects_path = folder / "projects.csv"
    if not projects_path.is_file():
        raise NotIndigoError(f"{folder}: no projects.csv here; is this the INDIGO export?")
    with projects_path.open(encoding="utf-8-sig", newline="") as handle:
        header = {h.strip() for h in next(csv.reader(handle), [])}
    absent = [c for c in PROJECT_KEY_COLUMNS if c not in header]
    if absent:
        raise NotIndigoError(f"{projects_path}: lacks the INDIGO column {absent[0]!r}")

    skipped: list[Skipped] = []
    warnings: list[Skipped] = []
    projects = _read_projects(_Reader(projects_path, skipped, warnings))
    ids = set(projects["id"])
    readers = {
        key: _Reader(folder / name, skipped, warnings)
        for key, name in _FILES.items()
        if (folder / name).is_file()
    }
    if "organisations" in readers:
        orgs = _read_organisations(readers["organisations"])
    else:
        orgs = pd.DataFrame(columns=list(_ORGANISATION_SPEC))
    if "investments" in readers:
        investments = _read_investments(readers["investments"], ids, set(orgs["id"]))
    else:
        investments = pd.DataFrame(columns=["project_id", *_INVESTMENT_SPEC])
    payments, planned = pd.DataFrame(columns=["project_id", *_PAYMENT_SPEC, "amount"]), 0
    if "outcome_payments" in readers:
        payments, planned = _read_outcome_payments(readers["outcome_payments"], ids)
    tables = {
        key: _read_link_table(readers[key], ids, spec)
        if key in readers
        else pd.DataFrame(columns=["project_id", *spec])
        for key, spec in (("results", _RESULT_SPEC), ("outcome_metrics", _METRIC_SPEC))
    }
    return IndigoData(
        projects=projects,
        organisations=orgs,
        investments=investments,
        outcome_payments=payments,
        results=tables["results"],
        outcome_metrics=tables["outcome_metrics"],
        skipped=tuple(skipped),
        warnings=tuple(warnings),
        planned_payments_excluded=planned,
        missing_files=tuple(name for key, name in _FILES.items() if key not in readers),
    )
