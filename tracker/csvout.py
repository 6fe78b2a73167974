"""CSV files for spreadsheets: the one writer every CSV export uses.

Crawled titles, funders and notes are text from strangers. A spreadsheet runs a cell that
starts with =, +, -, @, tab or carriage return as a formula (HYPERLINK can leak the sheet,
DDE can start programs), so such text cells get a leading ' (OWASP's CSV injection rule):
spreadsheets show it as text and hide the quote. Numbers are written as numbers: they are
the database's integers (ids and amounts, never negative here), not text from outside,
so they are never escaped; a text cell that merely looks like a number ("-5") is escaped
like any other text."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    """The value as a CSV cell: None is empty, formula-like text is made inert."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_csv(fields: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    """A header and one line per row (missing keys are empty). Lines end in CRLF as RFC
    4180 says; that also makes the writer quote a bare carriage return inside a cell, which
    with a "\\n" terminator it writes raw and so splits the row for every reader."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(fields)
    for row in rows:
        writer.writerow([cell(row.get(name)) for name in fields])
    return out.getvalue()
