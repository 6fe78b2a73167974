"""The source registry: funder sites, feeds and OCDS endpoints that admins add without code."""

from __future__ import annotations

import re
from datetime import datetime

from sqlmodel import Session, func, select

from tracker.config import Settings, SourceConfig
from tracker.models import CrawlRun, Funder, Opportunity, Source
from tracker.netguard import UnsafeURL, check_url

KINDS = ("html", "rss", "atom", "ocds", "contracts-finder", "find-a-tender")
# The live tender kinds read these public APIs unless the source names another base address.
TENDER_APIS = {"contracts-finder": "https://www.contractsfinder.service.gov.uk",
               "find-a-tender": "https://www.find-tender.service.gov.uk"}
_CPV = re.compile(r"(\d{2,8})(?:-\d)?")
_ITL = re.compile(r"(?:UK|TL)[C-N][0-9A-Z]{0,3}", re.I)
FILTER_KEYS = ("keywords", "cpv", "regions", "vcse", "sme")


class SourceError(ValueError):
    """A source that cannot be added or found; the message says which and why."""


def validate_cron(expr: str) -> str:
    from tracker.cron import cron_trigger

    try:
        cron_trigger(expr)
    except ValueError as exc:
        raise SourceError(f"schedule: not a valid cron expression ({exc})") from exc
    return expr


def get_or_create_funder(session: Session, name: str | None) -> Funder | None:
    if not name:
        return None
    funder = session.exec(select(Funder).where(Funder.name == name)).first()
    if funder is None:
        funder = Funder(name=name)
        session.add(funder)
        session.flush()
    return funder


def validate_source(name: str, kind: str, url: str, allow_hosts: list[str], link_pattern: str | None = None,
                    schedule: str | None = None) -> None:
    if not name.strip():
        raise SourceError("source name must not be empty")
    if kind not in KINDS:
        raise SourceError(f"source {name!r}: kind must be one of {', '.join(KINDS)}, not {kind!r}")
    try:
        check_url(url, allow_hosts)
    except UnsafeURL as exc:
        raise SourceError(f"source {name!r}: {exc}") from exc
    if link_pattern:
        try:
            re.compile(link_pattern)
        except re.error as exc:
            raise SourceError(f"source {name!r}: link pattern is not a valid regex ({exc})") from exc
    if schedule:
        validate_cron(schedule)


def tender_filters(name: str, keywords: list[str] | None = None, cpv: list[str] | None = None,
                   regions: list[str] | None = None, vcse: bool = False, sme: bool = False) -> dict:
    """A tender source's filters, checked: every value may be given comma-separated.
    CPV codes are kept as prefixes (85000000 and 85 both mean division 85); regions are ITL/NUTS
    codes (UKH12, TLH, UKH) or area names the gazetteer knows (East of England, Peterborough)."""
    from tracker.vocab import load_vocabulary

    def split(values: list[str] | None) -> list[str]:
        return [v.strip() for value in values or [] for v in str(value).split(",") if v.strip()]

    filters: dict = {}
    if words := split(keywords):
        filters["keywords"] = list(dict.fromkeys(words))
    codes = []
    for code in split(cpv):
        match = _CPV.fullmatch(code)
        if not match:
            raise SourceError(f"source {name!r}: CPV code {code!r} is not 2 to 8 digits (e.g. 85000000 or 853)")
        codes.append(match.group(1).rstrip("0").ljust(2, "0"))
    if codes:
        filters["cpv"] = list(dict.fromkeys(codes))
    places = []
    vocab = load_vocabulary()
    for place in split(regions):
        if _ITL.fullmatch(place):
            places.append(place.upper())
        elif (area := vocab.canonical_area(place)) is not None:
            places.append(area)
        else:
            raise SourceError(f"source {name!r}: region {place!r} is neither an ITL/NUTS code (e.g. UKH12) "
                              "nor an area the tracker knows (see `tracker vocab areas`)")
    if places:
        filters["regions"] = list(dict.fromkeys(places))
    if vcse:
        filters["vcse"] = True
    if sme:
        filters["sme"] = True
    return filters


def check_filters(name: str, filters: dict) -> dict:
    """Filters as stored (config file, database) checked again; unknown keys are refused."""
    unknown = set(filters) - set(FILTER_KEYS)
    if unknown:
        raise SourceError(f"source {name!r}: unknown filter {sorted(unknown)[0]!r} "
                          f"(expected {', '.join(FILTER_KEYS)})")
    lists = {k: [filters[k]] if isinstance(filters.get(k), str) else filters.get(k)
             for k in ("keywords", "cpv", "regions")}
    return tender_filters(name, **lists, vcse=bool(filters.get("vcse")), sme=bool(filters.get("sme")))


def default_url(kind: str, url: str | None) -> str:
    """The source's address: as given, else the public API of a tender kind."""
    if url and url.strip():
        return url.strip()
    if kind in TENDER_APIS:
        return TENDER_APIS[kind]
    raise SourceError(f"a source of kind {kind!r} needs --url (only {' and '.join(TENDER_APIS)} have a default)")


def add_source(session: Session, settings: Settings, *, name: str, kind: str, url: str, funder: str | None = None,
               schedule: str | None = None, link_pattern: str | None = None,
               selectors: dict[str, str] | None = None, origin: str = "cli", filters: dict | None = None) -> Source:
    url = default_url(kind, url)
    validate_source(name, kind, url, settings.crawl.allow_hosts, link_pattern, schedule)
    if filters and kind not in TENDER_APIS:
        raise SourceError(f"source {name!r}: filters (keywords, CPV, region, VCSE) apply only to "
                          f"{' and '.join(TENDER_APIS)} sources")
    if session.exec(select(Source).where(Source.name == name)).first() is not None:
        raise SourceError(f"a source named {name!r} already exists")
    funder_row = get_or_create_funder(session, funder)
    source = Source(name=name, kind=kind, url=url, funder_id=funder_row.id if funder_row else None,
                    schedule=schedule, link_pattern=link_pattern, selectors=selectors or {}, origin=origin,
                    filters=filters or {})
    session.add(source)
    session.flush()
    return source


def _editable(source: Source) -> None:
    if source.origin == "config":
        raise SourceError(f"{source.name} is declared in the config file: change or remove it there")


def update_source(session: Session, settings: Settings, source: Source, *, name: str, kind: str, url: str,
                  funder: str | None = None, schedule: str | None = None, link_pattern: str | None = None,
                  selectors: dict[str, str] | None = None) -> Source:
    """Change a source added from the CLI or the web; its stored calls and runs stay."""
    _editable(source)
    url = default_url(kind, url)
    validate_source(name, kind, url, settings.crawl.allow_hosts, link_pattern, schedule)
    other = session.exec(select(Source).where(Source.name == name, Source.id != source.id)).first()
    if other is not None:
        raise SourceError(f"a source named {name!r} already exists")
    funder_row = get_or_create_funder(session, funder)
    if (source.kind, source.url) != (kind, url):
        source.window_end = None  # another API: its windows start again from the look-back
    source.name, source.kind, source.url = name, kind, url
    source.funder_id = funder_row.id if funder_row else None
    source.schedule, source.link_pattern, source.selectors = schedule, link_pattern, selectors or {}
    session.add(source)
    session.flush()
    return source


def set_link_pattern(session: Session, settings: Settings, source: Source, pattern: str | None) -> Source:
    """Follow only the links matching `pattern` from the source's listing (None: automatic)."""
    _editable(source)
    validate_source(source.name, source.kind, source.url, settings.crawl.allow_hosts, link_pattern=pattern)
    source.link_pattern = pattern
    session.add(source)
    session.flush()
    return source


def stored_calls(session: Session, source: Source) -> int:
    return int(session.exec(select(func.count()).select_from(Opportunity)
                            .where(Opportunity.source_id == source.id)).one())


def remove_source(session: Session, source: Source) -> int:
    """Stop tracking a source. The calls it found stay, with their matches, bids and history
    (they are the team's record); only the link to the source and its crawl runs go.
    Returns how many calls were kept."""
    _editable(source)
    kept = 0
    for opp in session.exec(select(Opportunity).where(Opportunity.source_id == source.id)):
        opp.source_id = None
        session.add(opp)
        kept += 1
    for run in session.exec(select(CrawlRun).where(CrawlRun.source_id == source.id)):
        session.delete(run)
    session.flush()
    session.delete(source)
    session.flush()
    return kept


def sync_config_sources(session: Session, settings: Settings) -> list[str]:
    """Make the database agree with [[sources]] in config.toml; returns the names added."""
    added = []
    for cfg in settings.sources:
        _sync_one(session, settings, cfg, added)
    return added


def _sync_one(session: Session, settings: Settings, cfg: SourceConfig, added: list[str]) -> None:
    cfg = cfg.model_copy(update={"url": default_url(cfg.kind, cfg.url)})
    validate_source(cfg.name, cfg.kind, cfg.url, settings.crawl.allow_hosts, cfg.link_pattern, cfg.schedule)
    source = session.exec(select(Source).where(Source.name == cfg.name)).first()
    funder = get_or_create_funder(session, cfg.funder)
    if source is None:
        source = Source(name=cfg.name, kind=cfg.kind, url=cfg.url, origin="config")
        added.append(cfg.name)
    elif (source.kind, source.url) != (cfg.kind, cfg.url):
        source.window_end = None
    source.kind, source.url = cfg.kind, cfg.url
    source.funder_id = funder.id if funder else None
    source.schedule, source.enabled = cfg.schedule, cfg.enabled
    source.link_pattern, source.selectors = cfg.link_pattern, dict(cfg.selectors)
    source.filters = check_filters(cfg.name, dict(cfg.filters)) if cfg.kind in TENDER_APIS else {}
    session.add(source)


def find_source(session: Session, name: str) -> Source:
    source = session.exec(select(Source).where(Source.name == name)).first()
    if source is None:
        known = ", ".join(s.name for s in session.exec(select(Source).order_by(Source.name))) or "none"
        raise SourceError(f"no source named {name!r} (known sources: {known})")
    return source


def funder_name(session: Session, source: Source) -> str | None:
    funder = session.get(Funder, source.funder_id) if source.funder_id else None
    return funder.name if funder else None


def record_health(session: Session, source: Source, status: str, calls: int, error_text: str,
                  now: datetime, reason: str = "", stopped: str = "") -> None:
    """A source that errors, yields no calls where it used to, or has never yielded any (a new
    source whose page says nothing of calls, or whose feed holds no entries) is unhealthy; the
    note says why, with `reason`: why the crawl found no calls. One whose crawl `stopped`
    before the end of its listing (the page limit) is unhealthy too: calls are missing. A
    `reason` given with calls found (only the start page read as one) is noted, healthy."""
    why = f": {reason}" if reason else ""
    if status != "ok":
        source.healthy = False
        source.health_note = f"last crawl {status}: {error_text.splitlines()[0] if error_text else 'no detail'}"
    elif calls == 0 and source.kind in TENDER_APIS and not stopped:
        # a live tender source reads only what is new since its last window: often nothing
        source.healthy = True
        source.health_note = f"no new notices matched{why}"
    elif calls == 0 and (source.last_calls or 0) > 0:
        source.healthy = False
        source.health_note = f"went quiet: no calls found (previous crawl found {source.last_calls}){why}"
    elif calls == 0:
        source.healthy = False
        source.health_note = f"no calls found{why or ': no detail'}"
    elif stopped:
        source.healthy = False
        source.health_note = f"{calls} calls found, then {stopped}"
    elif reason:  # calls found, but only the start page read as one: maybe right, said
        source.healthy = True
        source.health_note = reason
    else:
        source.healthy = True
        source.health_note = ""
    if status == "ok" and calls > 0:
        source.last_calls = calls
    source.last_crawl_at = now
    session.add(source)


def last_runs(session: Session, source: Source, limit: int = 5) -> list[CrawlRun]:
    query = select(CrawlRun).where(CrawlRun.source_id == source.id).order_by(CrawlRun.id.desc()).limit(limit)
    return list(session.exec(query))



def preview_source(settings: Settings, run_crawl, *, name: str | None = None,  # noqa: ANN001
                   url: str | None = None, kind: str = "html", link_pattern: str | None = None,
                   selectors: dict[str, str] | None = None, pages: int | None = None):  # noqa: ANN201
    """Crawl a registered source, or a URL not yet saved, storing nothing (`pages`: at most)."""
    limit = {"scrapy_overrides": {"CLOSESPIDER_PAGECOUNT": pages}} if pages else {}
    if name is not None:
        return run_crawl(settings, [name], dry_run=True, **limit)
    overrides = {"link_pattern": link_pattern, "selectors": selectors or {}}
    return run_crawl(settings, [], adhoc=[{"name": url, "kind": kind, "url": url, "overrides": overrides}], **limit)


def parse_selectors(text: str) -> dict[str, str]:
    """'field=selector' lines (CSS or XPath) into a dict; a bad line is named in the error."""
    selectors = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        field, sep, expr = line.partition("=")
        if not sep or not field.strip() or not expr.strip():
            raise SourceError(f"selectors line {number} ({line!r}): expected FIELD=SELECTOR, "
                              "e.g. deadline=dd.closing-date")
        selectors[field.strip()] = expr.strip()
    return selectors
