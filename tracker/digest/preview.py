"""Write each recipient's digest to files without recording or sending anything."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import Engine

from tracker import clock
from tracker.config import Settings
from tracker.db import session_scope
from tracker.digest.build import build_digest, recipients
from tracker.digest.format import safe_name
from tracker.digest.render import Blocks, new_message_id, render_mail
from tracker.digest.tokens import load_secret


def preview_digests(engine: Engine, settings: Settings, out_dir: Path, now: datetime | None = None,
                    *, secret: str | None = None) -> list[Path]:
    """Write <safe-email>.eml (multipart/alternative) and <safe-email>.html per recipient,
    empty digests included (so you can see them); returns the paths written."""
    now = now or clock.now()
    secret = secret if secret is not None else load_secret(settings)
    cfg = settings.digest
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    cache: dict = {}
    blocks = Blocks()
    with session_scope(engine) as s:
        for user in recipients(s):
            content = build_digest(s, user, now=now, timezone=cfg.timezone, base_url=cfg.base_url,
                                   secret=secret, cache=cache, frequency=user.digest_frequency,
                                   signoff_days=settings.planning.signoff_working_days)
            sender = settings.smtp.from_address
            msg = render_mail(content, from_address=sender, now=now, prefix=cfg.subject_prefix,
                              message_id=new_message_id(sender, content.period, user.id), blocks=blocks)
            eml, html = out_dir / f"{safe_name(user.email)}.eml", out_dir / f"{safe_name(user.email)}.html"
            eml.write_bytes(msg.as_bytes())
            html.write_text(msg.get_body(("html",)).get_content(), encoding="utf-8")
            written += [eml, html]
    return written
