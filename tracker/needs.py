"""Project needs: validation and all-or-nothing import from JSON or CSV."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from sqlmodel import Session, select

from tracker.bounds import DbInt
from tracker.models import Need, utcnow
from tracker.vocab import load_vocabulary

LIST_FIELDS = ("partners", "themes", "keywords")


class NeedsImportError(ValueError):
    """The whole file was refused; `problems` lists each bad row and field."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"{source}: nothing imported; {len(problems)} problem(s):\n  " + "\n  ".join(problems))


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
        if value not in load_vocabulary().org_types:
            raise ValueError(f"unknown org type {value!r}; expected a key of [org_types]")
        return value

    @field_validator("partners")
    @classmethod
    def _partners(cls, value: list[str]) -> list[str]:
        bad = [p for p in value if p not in load_vocabulary().org_types]
        if bad:
            raise ValueError(f"unknown org type(s) {', '.join(bad)}; expected keys of [org_types]")
        return value

    @field_validator("area")
    @classmethod
    def _area(cls, value: str) -> str:
        area = load_vocabulary().canonical_area(value)
        if area is None:
            raise ValueError(f"unknown area {value!r}; expected an area of the vocabulary's area tree")
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


def read_rows(path: Path) -> list[dict[str, Any]]:
    """Rows of a needs file (JSON list, or CSV with the same columns)."""
    if not path.exists():
        raise NeedsImportError(str(path), ["file not found"])
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".csv":
        rows: list[dict[str, Any]] = []
        for raw in csv.DictReader(text.splitlines()):
            row = {k.strip(): (v.strip() if isinstance(v, str) else v) for k, v in raw.items() if k}
            row = {k: v for k, v in row.items() if v not in ("", None)}
            for name in LIST_FIELDS:
                if name in row:
                    row[name] = _split(row[name])
            if "active" in row:
                row["active"] = str(row["active"]).lower() in ("1", "true", "yes", "y")
            rows.append(row)
        return rows
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NeedsImportError(str(path), [f"not valid JSON: line {exc.lineno} column {exc.colno}: {exc.msg}"]) from exc
    if isinstance(data, dict) and isinstance(data.get("needs"), list):
        data = data["needs"]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise NeedsImportError(str(path), ["expected a JSON list of need objects"])
    return data


def validate_rows(rows: list[dict[str, Any]], source: str) -> list[NeedIn]:
    needs, problems, seen = [], [], set()
    for number, row in enumerate(rows, start=1):
        label = f"row {number}" + (f" (id {row.get('id')})" if row.get("id") else "")
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
