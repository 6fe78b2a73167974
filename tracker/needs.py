"""Project needs: validation and all-or-nothing import from JSON or CSV."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from sqlmodel import Session, select

from tracker.bounds import DbInt
from tracker.csvin import CsvTableError, read_table
from tracker.models import Need, utcnow
from tracker.textfile import read_text
from tracker.vocab import load_vocabulary

LIST_FIELDS = ("partners", "themes", "keywords")
UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")


class NeedsImportError(ValueError):
    """The whole file was refused; `problems` lists each bad row and field."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.problems = problems
        if len(problems) == 1:
            super().__init__(f"{source}: nothing imported: {problems[0]}")
        else:
            super().__init__(f"{source}: nothing imported; {len(problems)} problems:\n  " + "\n  ".join(problems))


class NeedIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str = Field(min_length=1, max_length=80)
    title: str = Field(min_length=1)
    description: str = ""
    keywords: list[str] = Field(default_factory=list)
    themes: list[str] = Field(default_factory=list)
    area: str = "Peterborough"
    applicant: str = "local_authority"
    partners: list[str] = Field(default_factory=list)
    amount_min: DbInt | None = None
    amount_max: DbInt | None = None
    prep_days: int = Field(default=21, ge=0, le=365)
    owner: str | None = None
    active: bool = True

    @field_validator("*", mode="before")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        # NUL and lone surrogates (JSON's "\u0000", "\ud800") are not text the database can store
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and UNSTORABLE.search(text):
                raise ValueError("contains a NUL or unpaired surrogate character, which cannot be stored")
        return value

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", value):
            raise ValueError("must be a slug of letters, digits, '-', '_' or '.'")
        return value

    @field_validator("themes")
    @classmethod
    def _themes(cls, value: list[str]) -> list[str]:
        known = load_vocabulary().themes
        bad = [t for t in value if t not in known]
        if bad:
            raise ValueError(f"unknown theme(s) {', '.join(bad)}; expected keys of [themes] in the vocabulary")
        return value

    @field_validator("applicant")
    @classmethod
    def _applicant(cls, value: str) -> str:
        org_type = load_vocabulary().org_type(value)
        if org_type is None:
            raise ValueError(f"unknown org type {value!r}; expected a key of [org_types] or [org_kinds]")
        return org_type

    @field_validator("partners")
    @classmethod
    def _partners(cls, value: list[str]) -> list[str]:
        vocab = load_vocabulary()
        bad = [p for p in value if vocab.org_type(p) is None]
        if bad:
            raise ValueError(f"unknown org type(s) {', '.join(bad)}; expected keys of [org_types] or [org_kinds]")
        return list(dict.fromkeys(vocab.org_type(p) or p for p in value))

    @field_validator("area")
    @classmethod
    def _area(cls, value: str) -> str:
        vocab = load_vocabulary()
        area = vocab.canonical_area(value)
        if area is None:
            close = vocab.gazetteer.suggest(value)
            hint = f"did you mean {' or '.join(repr(c) for c in close)}?" if close else "see `tracker vocab areas`"
            raise ValueError(f"unknown area {value!r} (not a UK council, county, police force area, region or "
                             f"nation); {hint}")
        return area

    @model_validator(mode="after")
    def _range(self) -> NeedIn:
        if self.amount_min is not None and self.amount_max is not None and self.amount_min > self.amount_max:
            raise ValueError(f"amount_min {self.amount_min} is above amount_max {self.amount_max}")
        return self


def _split(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in re.split(r"[;|,]", value) if part.strip()]
    return value


def _csv_records(text: str) -> list[tuple[int | None, dict[str, Any]]]:
    records: list[tuple[int | None, dict[str, Any]]] = []
    for line, cells in read_table(text):
        row: dict[str, Any] = {k: v.strip() for k, v in cells.items() if v.strip()}
        for name in LIST_FIELDS:
            if name in row:
                row[name] = _split(row[name])
        records.append((line, row))
    return records


def _json_records(text: str) -> list[tuple[int | None, dict[str, Any]]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON: line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise ValueError("not usable JSON: nested too deeply") from None
    except ValueError as exc:  # e.g. a number of more than 4,300 digits
        raise ValueError(f"not usable JSON: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("needs"), list):
        data = data["needs"]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise ValueError("expected a JSON list of need objects")
    return [(None, row) for row in data]


def read_rows(path: Path) -> list[tuple[int | None, dict[str, Any]]]:
    """(line in a CSV file, row) for each need in a JSON list or a CSV table with the same columns."""
    try:
        text = read_text(path)
        return _csv_records(text) if path.suffix.lower() == ".csv" else _json_records(text)
    except CsvTableError as exc:
        raise NeedsImportError(str(path), exc.problems) from None
    except ValueError as exc:  # TextFileError and the JSON problems above
        raise NeedsImportError(str(path), [str(exc)]) from None


def _label(number: int, line: int | None, row: dict[str, Any]) -> str:
    notes = ([f"line {line}"] if line else []) + ([f"id {row['id']}"] if row.get("id") else [])
    return f"row {number}" + (f" ({', '.join(notes)})" if notes else "")


def validate_rows(records: list[tuple[int | None, dict[str, Any]]], source: str) -> list[NeedIn]:
    needs, problems, seen = [], [], set()
    for number, (line, row) in enumerate(records, start=1):
        label = _label(number, line, row)
        try:
            need = NeedIn.model_validate(row)
        except ValidationError as exc:
            for err in exc.errors():
                where = ".".join(str(p) for p in err["loc"]) or "row"
                problems.append(f"{label}: field '{where}': {err['msg'].removeprefix('Value error, ')}")
            continue
        if need.id in seen:
            problems.append(f"{label}: field 'id': duplicate id {need.id!r} in this file")
        seen.add(need.id)
        needs.append(need)
    if problems:
        raise NeedsImportError(source, problems)
    if not needs:
        raise NeedsImportError(source, ["the file holds no needs"])
    return needs


def save_need(session: Session, need: NeedIn) -> tuple[Need, bool]:
    """Insert or update one need; returns (row, created)."""
    row = session.get(Need, need.id)
    created = row is None
    if row is None:
        row = Need(id=need.id, title=need.title)
    for key, value in need.model_dump().items():
        setattr(row, key, value)
    row.updated_at = utcnow()
    session.add(row)
    return row, created


def import_needs(session: Session, path: Path) -> tuple[int, int]:
    """Validate every row, then save all in the caller's transaction. (created, updated)."""
    needs = validate_rows(read_rows(path), str(path))
    created = updated = 0
    for need in needs:
        _, new = save_need(session, need)
        created += new
        updated += not new
    return created, updated


def list_needs(session: Session, include_archived: bool = False) -> list[Need]:
    query = select(Need).order_by(Need.id)
    if not include_archived:
        query = query.where(Need.active == True)  # noqa: E712
    return list(session.exec(query))
