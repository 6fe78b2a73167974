"""String-level normalisation: dates, money, org types, areas, themes, status.

`normalize_call(raw, today=..., default_funder=...)` turns a RawCall into Facts.
"""

from tracker.normalize.facts import Facts
from tracker.normalize.raw import RawCall

__all__ = ["Facts", "RawCall", "normalize_call"]


def normalize_call(raw: RawCall, *, today, default_funder: str | None = None) -> Facts:  # noqa: ANN001
    from tracker.normalize.call import normalize_call as _impl

    return _impl(raw, today=today, default_funder=default_funder)
