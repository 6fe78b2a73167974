from spiders.extract.content import block_text, main_content, page_title, parse_html

PAGE = """<html><head><title>Fund X | Some Council</title></head><body>
<div id="cookie-notice" class="cookie-notice">We use cookies. <a href="#">Accept</a></div>
<header class="site-header"><a href="/" class="logo">Council</a><nav><a href="/a">A</a></nav></header>
<main><nav class="breadcrumbs"><a href="/">Home</a> &gt; Fund X</nav>
<article><header class="entry-header"><h1>Fund X</h1></header>
<p>Grants of <strong>up to £5,000</strong>.</p>
<dl><dt>Closing date</dt><dd>1 May 2027</dd><dt>Area:</dt><dd>Peterborough</dd></dl>
<table><tr><th>Round</th><th>Closes</th></tr><tr><td>1</td><td>2 June 2027</td></tr></table>
<p>Line one<br>line two</p></article></main>
<aside class="sidebar"><h2>Latest news</h2><p>Something else</p></aside>
<footer class="site-footer">© Council</footer></body></html>"""


def test_main_content_drops_chrome_and_keeps_the_article():
    doc = parse_html(PAGE)
    main = main_content(doc)
    text = block_text(main)
    assert "Fund X" in text and "up to £5,000" in text
    for noise in ("cookies", "Home", "Latest news", "© Council", "Council\n"):
        assert noise not in text


def test_block_text_one_block_per_line():
    text = block_text(main_content(parse_html(PAGE)))
    lines = text.split("\n")
    assert "Grants of up to £5,000." in lines
    assert "Closing date: 1 May 2027" in lines
    assert "Area: Peterborough" in lines
    assert "1 | 2 June 2027" in lines
    assert "Line one" in lines and "line two" in lines


def test_title_prefers_h1_then_title_tag():
    doc = parse_html(PAGE)
    assert page_title(doc, main_content(doc)) == "Fund X"
    doc = parse_html("<html><head><title>Fund Y | Council</title></head><body><p>x</p></body></html>")
    assert page_title(doc, main_content(doc)) == "Fund Y"


def test_xml_declaration_and_windows_1252_text_are_read():
    html = ('<?xml version="1.0" encoding="windows-1252"?>'
            "<html><body><main><h1>Caf\u00e9 fund \u2013 \u00a3</h1></main></body></html>")
    doc = parse_html(html)
    assert page_title(doc, main_content(doc)) == "Caf\u00e9 fund \u2013 \u00a3"


def test_source_line_wraps_inside_a_block_are_spaces():
    html = ("<html><body><main><h1>Fund Z</h1><p>Open to registered\n   charities and\r\n"
            "<strong>community\ngroups</strong>.<br>Not open to\nindividuals.</p>"
            "<ul><li>Town and\nparish councils</li><li>Schools</li></ul>"
            "<pre>keep\nthese lines</pre></main></body></html>")
    lines = block_text(main_content(parse_html(html))).split("\n")
    assert "Open to registered charities and community groups." in lines
    assert "Not open to individuals." in lines
    assert "Town and parish councils" in lines and "Schools" in lines
    assert "keep" in lines and "these lines" in lines


def test_inline_text_is_one_line():
    from spiders.extract.content import inline_text
    doc = parse_html("<html><body><main><h1>Safer\n  Streets\tFund</h1><p>x</p></main></body></html>")
    assert inline_text(doc.find(".//h1")) == "Safer Streets Fund"
