"""CSV tables people hand us: a header row of column names, then one record per row.
Read strictly, because Python's csv module by default swallows an unclosed quote into one
long value (the rest of the file vanishes into a single cell) and hands back short rows
without a word. Problems name the line, as a spreadsheet numbers them."""

from __future__ import annotations

import csv
import io

DELIMITERS = (",", ";", "\t")  # Excel: "CSV" (UK), "CSV" (most of Europe), "Unicode Text"


class CsvTableError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    return max(DELIMITERS, key=header.count) if any(d in header for d in DELIMITERS) else ","


def _columns(header: list[str]) -> list[str]:
    names = [name.strip() for name in header]
    while names and not names[-1]:  # Excel keeps empty columns to the right of the table
        names.pop()
    if not names:
        raise CsvTableError(["line 1: the header row (column names) is empty"])
    problems = [f"line 1: column {n} has no name" for n, name in enumerate(names, start=1) if not name]
    problems += [f"line 1: column '{name}' appears twice" for n, name in enumerate(names) if name in names[:n]]
    if problems:
        raise CsvTableError(problems)
    return names


def read_table(text: str) -> list[tuple[int, dict[str, str]]]:
    """(line where the record starts, {column: value}) for each non-blank record."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    records: list[tuple[int, dict[str, str]]] = []
    problems: list[str] = []
    columns: list[str] | None = None
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            what = "a quoted value is never closed" if "unexpected end of data" in str(exc) else str(exc)
            raise CsvTableError([*problems, f"line {line}: {what}"]) from None
        if columns is None:
            columns = _columns(cells)
            continue
        if not any(cell.strip() for cell in cells):
            continue
        extra = [cell for cell in cells[len(columns):] if cell.strip()]
        if len(cells) < len(columns):
            problems.append(f"line {line}: {len(cells)} value(s) for {len(columns)} column(s)")
        elif extra:
            problems.append(f"line {line}: {len(extra)} value(s) to the right of the last column, {columns[-1]!r}")
        else:
            records.append((line, dict(zip(columns, cells, strict=False))))
    if problems:
        raise CsvTableError(problems)
    return records
