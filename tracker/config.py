"""Settings: one typed object read from config.toml, TRACKER_* environment variables
and built-in defaults. Secrets come only from the environment."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, IPvAnyNetwork, ValidationError, field_validator

SourceKind = Literal["html", "rss", "atom", "ocds", "contracts-finder", "find-a-tender"]


class ConfigError(Exception):
    """A config file that cannot be used; the message names file, key/line and expectation."""


def _web_address(value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError("expected an http:// or https:// address, e.g. https://tracker.council.example")
    return value.strip()


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("expected a timezone name such as Europe/London") from None
    return value


WebAddress = Annotated[str, AfterValidator(_web_address)]
"""Where browsers (links in digests) and our HTTP client go: http(s) with a host, never javascript: or file:."""
Timezone = Annotated[str, AfterValidator(_timezone)]
"""An IANA zone name that zoneinfo knows; the scheduler and digests use it."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CrawlSettings(_Section):
    download_delay: float = Field(1.0, ge=0)
    concurrency_per_domain: int = Field(2, ge=1, le=32)
    obey_robots: bool = True
    allow_hosts: list[str] = Field(default_factory=list)
    contact: str = "funding@example.gov.uk"
    timeout_minutes: float = Field(30, gt=0)
    max_page_kb: int = Field(5120, ge=16)
    http_cache: bool = True
    # Pages of one paginated listing read at most (Find a grant shows 10 calls a page); a limit
    # reached is said in the source's health and in `sources test`.
    max_listing_pages: int = Field(500, ge=1)
    workers: int | None = Field(None, ge=0, le=64)  # page-reading processes; None: CPUs - 1
    # Host name -> addresses, read before DNS like /etc/hosts (a funder's new server before its
    # DNS moves, a staging copy). The answers meet the address guard like any DNS answer.
    hosts: dict[str, list[str]] = Field(default_factory=dict)

    @field_validator("hosts")
    @classmethod
    def _addresses(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        import ipaddress

        for name, addresses in value.items():
            for address in addresses:
                try:
                    ipaddress.ip_address(address)
                except ValueError:
                    raise ValueError(f"{name}: {address!r} is not an IP address") from None
        return value


class SmtpSettings(_Section):
    host: str = ""
    port: int = Field(587, ge=1, le=65535)
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: str = ""
    from_address: str = "tracker@example.gov.uk"
    timeout: float = 30

    @property
    def password(self) -> str:
        return os.environ.get("TRACKER_SMTP_PASSWORD", "")

    @property
    def configured(self) -> bool:
        return bool(self.host)


class DigestSettings(_Section):
    weekday: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"] = "mon"
    time: str = "08:00"
    timezone: Timezone = "Europe/London"
    send_empty: bool = False
    recipients: list[str] = Field(default_factory=list)
    base_url: WebAddress = "http://127.0.0.1:8000"
    subject_prefix: str = "Funding digest"
    token_days: float = Field(14, gt=0)  # one-click action links expire after this
    pace: float = Field(0.0, ge=0)  # seconds between messages (Exchange Online: about 2.0)

    @field_validator("time")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
            raise ValueError("expected a time as HH:MM, e.g. 08:00")
        return value


class NotifySettings(_Section):
    """GOV.UK Notify: used instead of SMTP when TRACKER_NOTIFY_API_KEY is set."""

    template_id: str = ""
    base_url: WebAddress = "https://api.notifications.service.gov.uk"


class ScheduleSettings(_Section):
    crawl: str = "0 6 * * *"
    match_after_crawl: bool = True

    @field_validator("crawl")
    @classmethod
    def _cron(cls, value: str) -> str:
        from tracker.cron import cron_trigger  # APScheduler: only when a schedule is set

        cron_trigger(value)
        return value


class WebSettings(_Section):
    """Who the client is behind a reverse proxy, and how many failed sign-ins are allowed."""

    # Peers whose X-Forwarded-For is believed (the reverse proxy); anyone else could forge it.
    trusted_proxies: list[IPvAnyNetwork] = Field(default_factory=list)
    login_window_minutes: float = Field(15, gt=0)
    login_failures_per_account: int = Field(5, ge=1)  # one account from one client address
    login_failures_per_address: int = Field(20, ge=1)  # one client address, any accounts
    login_failures_per_minute: int = Field(60, ge=1)  # the whole site


class PlanningSettings(_Section):
    """Planning a bid backwards from the deadline (tracker.startby)."""

    # Working days the organisation needs to sign a bid off (legal, finance, the portfolio
    # holder) after it is written: start by = deadline - preparation days - this.
    signoff_working_days: int = Field(15, ge=0, le=250)


class TenderSettings(_Section):
    """The live tender kinds (spiders/sites/tenders.py): date windows and the APIs' rate limits."""

    lookback_days: float = Field(30, gt=0)  # the first crawl of a source reads this far back
    window_days: float = Field(7, gt=0)  # longer spans are read as consecutive windows of this length
    page_size: int = Field(100, ge=1, le=100)  # both APIs give at most 100 releases a page
    # "planning" notices (pipeline, planned procurement) become "upcoming" calls: early warning
    stages: list[Literal["planning", "tender"]] = Field(default_factory=lambda: ["planning", "tender"])
    # seconds between requests: Find a Tender allows a handful a minute, Contracts Finder asks 5-10 s
    find_a_tender_delay: float = Field(15.0, ge=0)
    contracts_finder_delay: float = Field(6.0, ge=0)
    # waits asked for by 429/403 answers without a Retry-After (Contracts Finder: 5 minutes)
    default_retry_after: float = Field(300.0, ge=0)
    # a crawl waits at most this long in all for rate limits, then gives up until the next crawl
    max_wait_seconds: float = Field(900.0, ge=0)  # under [crawl] timeout_minutes: the crawl ends itself


class WorkersSettings(_Section):
    """Where scheduled jobs run: in the scheduler's process ("inline", one machine, SQLite or
    PostgreSQL) or on a PostgreSQL task queue that `tracker worker` processes on any number of
    machines take jobs from ("queue")."""

    mode: Literal["inline", "queue"] = "inline"
    # Sources of these kinds call rate-limited APIs: their crawls go to the "crawl-api" queue and
    # run one at a time across all workers.
    api_kinds: list[SourceKind] = Field(default_factory=lambda: ["ocds", "contracts-finder", "find-a-tender"])
    heartbeat_seconds: float = Field(10, gt=0)  # how often a worker says it is alive
    # A worker silent this long is taken as dead: its jobs go back on the queue for another.
    stalled_after_seconds: float = Field(30, gt=0)
    sweep_seconds: float = Field(10, gt=0)  # how often each worker looks for such jobs


class SourceConfig(_Section):
    name: str = Field(min_length=1)
    kind: SourceKind
    url: str = ""  # only contracts-finder and find-a-tender may leave it out (their public API)
    funder: str | None = None
    schedule: str | None = None
    enabled: bool = True
    link_pattern: str | None = None
    selectors: dict[str, str] = Field(default_factory=dict)
    # tender kinds: keywords, cpv, regions (lists), vcse, sme (true/false); see tracker.sources
    filters: dict[str, list[str] | bool] = Field(default_factory=dict)


class Settings(_Section):
    data_dir: Path = Path("data")
    database_url: str = ""
    crawl: CrawlSettings = Field(default_factory=CrawlSettings)
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    digest: DigestSettings = Field(default_factory=DigestSettings)
    notify: NotifySettings = Field(default_factory=NotifySettings)
    schedule: ScheduleSettings = Field(default_factory=ScheduleSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    planning: PlanningSettings = Field(default_factory=PlanningSettings)
    tenders: TenderSettings = Field(default_factory=TenderSettings)
    workers: WorkersSettings = Field(default_factory=WorkersSettings)
    sources: list[SourceConfig] = Field(default_factory=list)
    config_path: Path | None = Field(default=None, exclude=True)

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'tracker.db').resolve()}"

    @property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "httpcache"


def _line_of(text: str, key: str) -> int | None:
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=", re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _describe(error: dict, text: str) -> str:
    loc = ".".join(str(p) for p in error["loc"])
    key = next((str(p) for p in reversed(error["loc"]) if isinstance(p, str)), loc)
    line = _line_of(text, key)
    where = f"key '{loc}'" + (f" (line {line})" if line else "")
    given = error.get("input")
    got = "" if error["type"] == "missing" else f"; got {given!r}"
    return f"{where}: {error['msg'].removeprefix('Value error, ')}{got}"


def _read_config(path: Path) -> str:
    from tracker.textfile import TextFileError, read_bytes

    if not path.exists():
        raise ConfigError(f"{path}: config file not found")
    try:
        data = read_bytes(path)
    except TextFileError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    try:
        return data.decode("utf-8-sig")  # Windows Notepad may add a byte-order mark
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ConfigError(f"{path}: not UTF-8 text: byte 0x{data[exc.start]:02x} on line {line}; "
                          "save the file as UTF-8") from None


def _check_data_dir(path: Path, where: str) -> None:
    """The data folder must be a folder, or one that can be made: found now, not as a traceback
    when the first command writes there."""
    try:
        probe = path
        while not probe.exists() and probe.parent != probe:
            probe = probe.parent
        if probe == path and not path.is_dir():
            raise ConfigError(f"{where}: {path} is a file, not a folder")
        if probe != path and not probe.is_dir():
            raise ConfigError(f"{where}: cannot make the folder {path}: {probe} is a file")
        if probe != path and not os.access(probe, os.W_OK | os.X_OK):
            raise ConfigError(f"{where}: cannot make the folder {path}: {probe} is not writable")
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{where}: {path} is not a usable folder: {exc}") from None


def find_config_path(explicit: str | os.PathLike | None = None) -> Path | None:
    if explicit:
        return Path(explicit)
    if os.environ.get("TRACKER_CONFIG"):
        return Path(os.environ["TRACKER_CONFIG"])
    default = Path("config.toml")
    return default if default.exists() else None


def load_settings(path: str | os.PathLike | None = None) -> Settings:
    """Read settings; TRACKER_HOME and TRACKER_DATABASE_URL override the file."""
    config_path = find_config_path(path)
    data: dict = {}
    text = ""
    if config_path is not None:
        text = _read_config(config_path)
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{config_path}: not valid TOML: {exc}") from exc
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        problems = [_describe(e, text) for e in exc.errors()]
        listed = problems[0] if len(problems) == 1 else "\n  " + "\n  ".join(problems)
        raise ConfigError(f"{config_path or 'built-in defaults'}: invalid config: {listed}") from None
    names = [s.name for s in settings.sources]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ConfigError(f"{config_path}: [[sources]] names must be unique; repeated: {', '.join(dupes)}")
    if os.environ.get("TRACKER_HOME"):
        settings.data_dir = Path(os.environ["TRACKER_HOME"])
        _check_data_dir(settings.data_dir, "environment variable TRACKER_HOME")
    else:
        if config_path is not None and not settings.data_dir.is_absolute():
            settings.data_dir = (config_path.parent / settings.data_dir).resolve()
        line = _line_of(text, "data_dir")
        _check_data_dir(settings.data_dir, f"{config_path or 'built-in defaults'}: key 'data_dir'"
                                           + (f" (line {line})" if line else ""))
    if os.environ.get("TRACKER_DATABASE_URL"):
        settings.database_url = os.environ["TRACKER_DATABASE_URL"]
    settings.config_path = config_path
    if settings.workers.mode == "queue" and not settings.db_url.startswith("postgres"):
        line = _line_of(text, "mode")
        where = f"{config_path or 'built-in defaults'}: key 'workers.mode'" + (f" (line {line})" if line else "")
        raise ConfigError(where + ': "queue" needs PostgreSQL (database_url or TRACKER_DATABASE_URL); '
                          'this database is SQLite: use mode = "inline"')
    return settings
