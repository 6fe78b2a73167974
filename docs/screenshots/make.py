"""Screenshots of the main pages at 390 px (a phone) and 1280 px (a desktop), taken from the
built-in demo, into docs/screenshots/<page>-<width>.png; prints how wide each page lays out.

    .venv/bin/python docs/screenshots/make.py          # needs the test extras and /usr/bin/chromium

It runs `tracker demo` in a throwaway data folder (the demo funder site on 127.0.0.1), adds an
admin and a few bids, starts `tracker serve` on a free loopback port and signs in as the admin.
With Pillow installed the PNGs are reduced to a 64-colour palette (about a third of the size).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.loopback import served_url, start, stop  # noqa: E402

OUT = Path(__file__).resolve().parent
TODAY = "2026-12-01"  # pinned, so "days left" and statuses do not drift between runs
ADMIN, PASSWORD = "lead@peterborough.example", "correct horse battery"
WIDTHS = {390: 1800, 1280: 1100}  # viewport width: the most of the page's height kept (small PNGs)


def _demo(env: dict[str, str]) -> None:
    run = subprocess.run([sys.executable, "-c", "from tracker.cli import app; app()", "demo"], env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    if run.returncode != 0:
        raise SystemExit(f"tracker demo failed:\n{run.stdout}\n{run.stderr}")


def _seed_bids(home: Path) -> dict[str, str]:
    """An admin, and bids at a few stages, so the board and dashboard show something."""
    os.environ.update(TRACKER_HOME=str(home), TRACKER_TODAY=TODAY)
    from sqlmodel import col, select

    from tracker.bids import advance, mark_interested
    from tracker.config import load_settings
    from tracker.db import make_engine, session_scope
    from tracker.models import Match
    from tracker.users import add_user

    engine = make_engine(load_settings().db_url)
    with session_scope(engine) as s:
        admin = add_user(s, ADMIN, "admin", PASSWORD, name="Safer communities lead")
        s.flush()
        matches = s.exec(select(Match).where(col(Match.eligible).is_(True))
                         .order_by(col(Match.score).desc())).all()
        bids = [mark_interested(s, m, admin.id, note="from the screenshots script") for m in matches[:4]]
        advance(s, bids[0], "preparing", user_id=admin.id, note="partners agreed")
        advance(s, bids[1], "applied", user_id=admin.id, note="submitted on the funder's portal")
        top = matches[0]
        pages = {"dashboard": "/", "opportunities": "/opportunities",
                 "opportunity": f"/opportunities/{top.opportunity_id}", "needs": "/needs",
                 "need": f"/needs/{top.need_id}", "bids": "/bids", "bid": f"/bids/{bids[0].id}",
                 "sources": "/sources", "schedules": "/schedules", "reports": "/reports"}
    engine.dispose()
    return pages


def _shoot(url: str, pages: dict[str, str]) -> dict[tuple[str, int], int]:
    from playwright.sync_api import sync_playwright

    widths = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for width, max_height in WIDTHS.items():
            context = browser.new_context(base_url=url, viewport={"width": width, "height": 900})
            page = context.new_page()
            page.goto("/login")
            page.get_by_label("Email address").fill(ADMIN)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url("**/")
            for name, path in pages.items():
                page.goto(path)
                widths[name, width] = page.evaluate("document.documentElement.scrollWidth")
                height = min(max_height, page.evaluate("document.documentElement.scrollHeight"))
                page.screenshot(path=str(OUT / f"{name}-{width}.png"), full_page=True,
                                clip={"x": 0, "y": 0, "width": width, "height": height})
            context.close()
        browser.close()
    return widths


def _shrink(paths: list[Path]) -> None:
    """A 64-colour palette keeps text and tags crisp at a third of the size; needs Pillow."""
    try:
        from PIL import Image
    except ImportError:
        print("Pillow is not installed: the PNGs stay full colour")
        return
    for path in paths:
        with Image.open(path) as image:
            small = image.convert("RGB").quantize(colors=64)
        small.save(path, optimize=True)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="tracker-shots-") as tmp:
        home = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
        env.update(TRACKER_HOME=str(home), TRACKER_TODAY=TODAY)
        _demo(env)
        pages = _seed_bids(home)
        proc, out = start([sys.executable, "-m", "tracker.web", "--host", "127.0.0.1", "--port", "0",
                           "--workers", "1", "--log-level", "info"], env, cwd=ROOT)
        try:
            widths = _shoot(served_url(out, 60), pages)
        finally:
            stop(proc)
    print(f"{'page':<15}" + "".join(f"{w:>8} px" for w in WIDTHS))
    for name in pages:
        print(f"{name:<15}" + "".join(f"{widths[name, w]:>11}" for w in WIDTHS))
    _shrink([OUT / f"{name}-{w}.png" for name in pages for w in WIDTHS])
    total = sum(p.stat().st_size for p in OUT.glob("*.png"))
    print(f"widest at 390 px: {max(widths[n, 390] for n in pages)} px; {total / 1e6:.2f} MB of PNGs in {OUT}")


if __name__ == "__main__":
    main()
