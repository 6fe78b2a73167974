"""The integers the database can hold. Every id and amount is an INTEGER column: 32 bits
on PostgreSQL, 64 on SQLite, and a bigger Python int makes the driver raise instead of
finding nothing. So numbers from outside (a URL, a form, an imported file) are checked
against this one range before they reach a query. As money it allows up to
£2,147,483,647, far above any grant."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, TypeAdapter, ValidationError

INT_MAX = 2**31 - 1
DbInt = Annotated[int, Field(ge=0, le=INT_MAX)]
"""An id, amount, page or count that fits every backend's INTEGER column; FastAPI answers
422 for a path or query parameter outside it, pydantic models report the field."""

_DB_INT: TypeAdapter[int] = TypeAdapter(DbInt)


def db_int(value: Any) -> int | None:
    """`value` (an int or its text) as a DbInt, or None when it is not one."""
    try:
        return _DB_INT.validate_python(value.strip() if isinstance(value, str) else value)
    except ValidationError:
        return None
