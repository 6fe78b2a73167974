"""Server-rendered SVG bar charts: no JavaScript, labelled for screen readers (role="img",
<title> and <desc>, with the figures also given as a table beside each chart). Labels are
scraped or typed text: every one is escaped."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

BAR = 22
GAP = 10
LABEL_W = 150  # room for the label left of the bars (long labels are cut with an ellipsis)
WIDTH = 360  # the viewBox: the chart scales to the column it sits in (390 px phones included)
MAX_LABEL = 22


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def bar_chart(chart_id: str, title: str, items: Sequence[tuple[str, int | float]],
              fmt: Callable[[int | float], str] = str) -> Markup:
    """A horizontal bar chart of (label, value); an empty chart says so."""
    if not items:
        return Markup(f'<p class="body">{escape(title)}: nothing to show yet.</p>')
    top = max((v for _, v in items), default=0) or 1
    height = len(items) * (BAR + GAP) + GAP
    desc = "; ".join(f"{label}: {fmt(value)}" for label, value in items)
    parts = [f'<svg class="chart" id="{escape(chart_id)}" role="img" viewBox="0 0 {WIDTH} {height}" '
             f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" preserveAspectRatio="xMinYMin meet">',
             f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
             f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>']
    room = WIDTH - LABEL_W - 70
    for n, (label, value) in enumerate(items):
        y = GAP + n * (BAR + GAP)
        width = max(1, round(room * value / top)) if value else 0
        parts.append(f'<text x="{LABEL_W - 6}" y="{y + BAR * 0.7:.0f}" text-anchor="end" class="chart-label">'
                     f'{escape(_short(label))}</text>')
        parts.append(f'<rect x="{LABEL_W}" y="{y}" width="{width}" height="{BAR}" class="chart-bar"></rect>')
        parts.append(f'<text x="{LABEL_W + width + 4}" y="{y + BAR * 0.7:.0f}" class="chart-value">'
                     f'{escape(fmt(value))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
