"""What a spider hands to normalisation: the raw, page-level facts of one call."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class RawCall:
    """One candidate grant call as read off a page, feed item or OCDS release.

    Strings are as shown on the page (whitespace collapsed); nothing is parsed yet,
    except `structured`, which carries values that a structured source (JSON, OCDS,
    __NEXT_DATA__) already types: they win over anything parsed from text.
    """

    url: str  # absolute; "#section-id" for one fund in a section of a shared page
    title: str
    funder: str | None = None
    summary: str = ""  # a short description (first paragraph, feed description)
    text: str = ""  # the call's main content as text, one block per line
    fields: dict[str, str] = field(default_factory=dict)  # label -> value, from dl/table/summary lists
    listing_text: str = ""  # text of the listing card / table row that linked here
    listing_fields: dict[str, str] = field(default_factory=dict)  # labelled facts on that card/row
    structured: dict[str, Any] = field(default_factory=dict)
    # keys of `structured` (all optional): deadline (ISO date or datetime string), opens,
    # amount_min, amount_max, total_pot (ints, pounds), status, rolling (bool),
    # eligible_org_types, excluded_org_types, areas, themes (lists of vocabulary keys)
    # (day, Facts) when the process that read the page also normalised the call for that
    # day, which saves the crawl a second trip to its worker
    normalised: tuple[Any, Any] | None = field(default=None, compare=False, repr=False)


@dataclass
class UnchangedPage:
    """A page the server answered 304 (Not Modified) for, reached from an unchanged listing:
    its calls are the same as last time, so storing only needs to move last_seen. The raw
    calls ride along for when the database does not know the page (e.g. a new database)."""

    url: str
    calls: list[RawCall] = field(default_factory=list)


@dataclass
class WindowDone:
    """A live tender source's date window read to its last page: once its calls are committed,
    the store records `end` (ISO, UTC) as where the next crawl starts."""

    source_name: str
    end: str
