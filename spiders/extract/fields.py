"""Labelled facts on a page: dl/dt/dd (GOV.UK summary lists), tables, "Label: value" lines and
short headings followed by their content."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from spiders.extract.content import block_text, collapse, inline_text

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
MAX_VALUE = 1200
_LABEL_LINE = re.compile(r"^(?P<label>[A-Za-z][^:.!?]{0,48}?)\s*:\s+(?P<value>\S.*)$")
_FUNDER_LABEL = re.compile(
    r"^(funding organi[sz]ation|funders?|funded by|funding body|awarding body|buyer|donor|provided by"
    r"|grant maker|funding partner)s?\b", re.I)


def clean_label(text: str) -> str:
    return collapse(text).rstrip(":").strip()


def _value_text(el: HtmlElement) -> str:
    # list items often end in ";" themselves: joining must not double it (";;")
    return "; ".join(line.rstrip().rstrip(";").rstrip() for line in block_text(el).split("\n"))


def _put(out: dict[str, str], label: str, value: str, repeat: bool = True) -> None:
    label, value = clean_label(label), collapse(value)[:MAX_VALUE]
    if not label or not value or len(label) > 80 or (not repeat and label in out):
        return
    key, n = label, 2
    while key in out:
        if out[key] == value:
            return
        key, n = f"{label} ({n})", n + 1
    out[key] = value


def dl_fields(root: HtmlElement, out: dict[str, str]) -> None:
    for dl in root.iter("dl"):
        label = None
        for el in dl.iter("dt", "dd"):
            if next((a for a in el.iterancestors("dl")), None) is not dl:
                continue  # belongs to a nested list
            if el.tag == "dt":
                label = inline_text(el)
            elif label:
                _put(out, label, _value_text(el))


def _cells(tr: HtmlElement) -> list[HtmlElement]:
    return [c for c in tr if isinstance(c.tag, str) and c.tag in ("th", "td")]


def table_header(table: HtmlElement) -> list[str]:
    """Column labels of a table: its <thead> row, else a first row made only of <th>."""
    rows = table.xpath("./thead/tr|./tr|./tbody/tr")
    if not rows:
        return []
    first = _cells(rows[0])
    if first and all(c.tag == "th" for c in first) and (len(rows) > 1 or rows[0].getparent().tag == "thead"):
        return [inline_text(c) for c in first]
    return []


def row_fields(tr: HtmlElement, header: list[str]) -> dict[str, str]:
    """One table row as label -> value using the table's header."""
    out: dict[str, str] = {}
    for label, cell in zip(header, _cells(tr), strict=False):
        _put(out, label, _value_text(cell))
    return out


def table_fields(root: HtmlElement, out: dict[str, str]) -> None:
    for table in root.iter("table"):
        rows = table.xpath("./thead/tr|./tr|./tbody/tr|./tfoot/tr")
        header = table_header(table)
        body = [r for r in rows if r.getparent().tag != "thead"]
        row_headed = [r for r in body if (c := _cells(r)) and c[0].tag == "th" and len(c) >= 2]
        if row_headed and len(row_headed) == len([r for r in body if _cells(r)]) and not header:
            for r in row_headed:
                c = _cells(r)
                _put(out, inline_text(c[0]), " ; ".join(_value_text(x) for x in c[1:]))
            continue
        if not header:
            continue
        data = [r for r in body if _cells(r) and r is not rows[0]]
        if len(data) == 1:
            for k, v in row_fields(data[0], header).items():
                _put(out, k, v)
        else:
            # a column per label: "Closing date" -> "30 April 2026 (closed); 30 September 2027; ..."
            for i, label in enumerate(header):
                values = [_value_text(_cells(r)[i]) for r in data[:12] if len(_cells(r)) > i]
                _put(out, label, "; ".join(v for v in values if v))


def heading_fields(root: HtmlElement, out: dict[str, str], skip: set[str] | None = None) -> None:
    """Short headings ("How much can I apply for?") and the content up to the next heading."""
    for h in root.iter(*HEADINGS[1:]):
        label = inline_text(h)
        if not label or len(label) > 90 or len(label.split()) > 12 or label in (skip or ()):
            continue
        if any(a.tag in ("dl", "table") for a in h.iterancestors()) or h.find(".//a[@href]") is not None:
            continue  # a linked heading is a card's title, not a label
        node, parts = h, []
        while not parts and node is not None and node is not root:
            sib = node.getnext()
            while sib is not None:
                if isinstance(sib.tag, str):
                    if sib.tag in HEADINGS or sib.find(".//h2") is not None or sib.find(".//h3") is not None:
                        break
                    text = _value_text(sib)
                    if text:
                        parts.append(text)
                sib = sib.getnext()
            if not parts and (node.getparent() is not None and len(inline_text(node.getparent())) <= len(label) + 2):
                node = node.getparent()  # heading wrapped alone in a div: read on after the wrapper
            else:
                break
        if parts:
            _put(out, label, "; ".join(parts), repeat=False)


def line_fields(text: str, out: dict[str, str], skip: set[str] | None = None) -> None:
    """ "Label: value" lines ("Closing date: 14.09.27", "<strong>Amount:</strong> £2,000")."""
    for line in text.split("\n"):
        m = None if line in (skip or ()) else _LABEL_LINE.match(line)
        if not m:
            continue
        label = m.group("label").strip()
        if len(label.split()) > 6 or label.lower().startswith(("http", "www")):
            continue
        _put(out, label, m.group("value"), repeat=False)


_LABEL_TAGS = {"span", "strong", "b", "em", "label", "small"}


def _lead_label(item: HtmlElement) -> tuple[str, str] | None:
    """An item that opens with its label set apart in its own inline element and no colon
    ("<li><span>Grant size</span> Up to £5,000</li>"): (label, value)."""
    kids = [c for c in item if isinstance(c.tag, str)]
    if not kids or kids[0].tag not in _LABEL_TAGS or (item.text or "").strip() or len(kids[0]):
        return None
    label = inline_text(kids[0])
    text = inline_text(item)
    if not label or len(label.split()) > 6 or label[-1] in ".!?" or not text.startswith(label):
        return None
    value = text[len(label):].strip(" :")
    return (label, value) if value else None


def lead_label_fields(root: HtmlElement, out: dict[str, str]) -> None:
    """Lists of facts whose every item leads with its label in an inline element, without a colon
    (a card's meta list: "Grant size  £500 to £5,000", "Closes  1 May 2027"). A lone such item is
    as likely a bold word opening a sentence, so two items of that shape side by side are asked."""
    for parent in root.iter("ul", "ol", "div"):
        items = [c for c in parent if isinstance(c.tag, str)]
        pairs = [_lead_label(c) for c in items if c.tag in ("li", "p", "div")]
        if len(items) >= 2 and len(pairs) == len(items) and all(pairs):
            for label, value in pairs:  # type: ignore[misc]
                _put(out, label, value, repeat=False)


def labelled_fields(root: HtmlElement, title: str = "") -> dict[str, str]:
    """All labelled facts under an element, first occurrence of a label first. Headings are not
    read as "Label: value" lines, and the call's own title heading is not a label."""
    out: dict[str, str] = {}
    dl_fields(root, out)
    table_fields(root, out)
    headings = {inline_text(h) for h in root.iter(*HEADINGS)}
    line_fields(block_text(root), out, skip=headings)
    lead_label_fields(root, out)
    heading_fields(root, out, skip={title} if title else None)
    return out


def funder_from_fields(*field_sets: dict[str, str]) -> str | None:
    for fields in field_sets:
        for label, value in fields.items():
            if _FUNDER_LABEL.match(label) and value:
                return value.split("; ")[0]
    return None
