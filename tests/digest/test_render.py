import re

from tests.digest.conftest import ADA, HOSTILE_TITLES, VAL
from tests.digest.test_build import build
from tracker.digest.render import compact_html, render_message, render_parts, summary_html, summary_text


def parts(engine, email):
    return render_parts(build(engine, email))


def test_hostile_titles_render_as_text_in_both_parts(engine, seeded):
    subject, text, html = parts(engine, ADA)
    for title in HOSTILE_TITLES:
        assert title in text  # plain text shows it literally
        assert title not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script" not in html.lower() and "onerror" not in html.replace("onerror=alert(1)&gt;", "")
    assert "&lt;b&gt;Evil&lt;/b&gt; &amp; Co" in html
    assert "<i>reason</i>" not in html


def test_summary_keeps_only_safe_formatting():
    dirty = '<p onclick="x()">Hi <strong>there</strong> <a href="javascript:alert(1)">x</a></p><script>bad()</script>'
    clean = str(summary_html(dirty))
    assert "<strong>there</strong>" in clean
    assert "onclick" not in clean and "javascript:" not in clean and "<script" not in clean
    assert summary_text(dirty) == "Hi there x"
    assert str(summary_html("a < b & c")) == "<p>a &lt; b &amp; c</p>"


def test_html_is_table_layout_with_inlined_css_and_real_headings(engine, seeded):
    _, _, html = parts(engine, ADA)
    assert "<style" not in html
    assert 'role="presentation"' in html
    assert re.search(r"<h1[^>]*>Funding digest", html)
    for heading in ("New for you", "Closing in the next 14 days", "Team bids",
                    "Sources needing attention"):
        assert re.search(rf"<h2[^>]*>{heading}</h2>", html), heading
    assert 'style="' in html


def test_text_part_reads_alone(engine, seeded):
    subject, text, _ = parts(engine, ADA)
    assert subject == "Funding digest: 5 new for you, 2 closing soon (week of 30 November 2026)"
    assert "Closes 14 March 2027 (104 days); start by 11 February 2027" in text  # 21 working days
    assert "Home Office, £5,000 to £50,000" in text
    assert "NEW FOR YOU" in text and "## Youth diversion: 3 new" in text
    assert "<" not in text.replace("<script>", "").replace("<img", "").replace("<i>", "").replace(
        "</script>", "").replace("</i>", "").replace("<b>", "").replace("</b>", "")
    assert "\n\n\n" not in text


def test_viewer_text_has_no_action_links(engine, seeded):
    _, text, html = parts(engine, VAL)
    assert "/actions/" not in text and "/actions/" not in html


def test_message_is_multipart_alternative(engine, seeded):
    from tests.digest.conftest import NOW

    msg = render_message(build(engine, ADA), from_address="t@council.example", message_id="<m1@council.example>",
                         now=NOW)
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    assert msg["Message-ID"] == "<m1@council.example>"
    assert msg["To"] == "Ada Admin <ada@council.example>"


def test_tightened_html_keeps_text_and_links_as_written():
    """Dropping the inliner's classes and tightening styles touches tags only: words in the
    text that look like attributes, and link addresses, stay exactly as they were."""
    html = ('<p class="meta" style="margin: 0 0 6px; color: #505a5f;">Say class="x" style="a : b"; ok</p>'
            '<a class="t" href="https://f.example/a?b=1&amp;c= class=2" style="font-size: 16px;">'
            'Fund &lt;b class="y"&gt;</a><br><img alt="" src="https://f.example/i.png">')
    assert compact_html(html) == (
        '<p style="margin:0 0 6px;color:#505a5f">Say class="x" style="a : b"; ok</p>'
        '<a href="https://f.example/a?b=1&amp;c= class=2" style="font-size:16px">'
        'Fund &lt;b class="y"&gt;</a><br><img alt="" src="https://f.example/i.png">')
