from spiders.extract.content import parse_html
from spiders.extract.fields import funder_from_fields, labelled_fields


def fields(html: str) -> dict[str, str]:
    return labelled_fields(parse_html(f"<html><body><main>{html}</main></body></html>").find(".//main"))


def test_govuk_summary_list_rows():
    out = fields("""<dl class="govuk-summary-list">
      <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Closing date</dt>
      <dd class="govuk-summary-list__value">30 July 2027, 11:59pm</dd></div>
      <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Who can apply</dt>
      <dd class="govuk-summary-list__value">Police<br>Local authorities</dd></div></dl>""")
    assert out["Closing date"] == "30 July 2027, 11:59pm"
    assert out["Who can apply"] == "Police; Local authorities"
    assert "Who can apply (2)" not in out


def test_row_headed_and_column_tables():
    out = fields("""<table><tr><th scope="row">Estimated value</th><td>£180,000 to £240,000</td></tr>
      <tr><th scope="row">Tender submission deadline</th><td>12:00 on 18 June 2027</td></tr></table>
      <table><thead><tr><th>Round</th><th>Closing date</th></tr></thead><tbody>
      <tr><td>1</td><td>30 April 2026 (closed)</td></tr>
      <tr><td>2</td><td>30 September 2027</td></tr></tbody></table>""")
    assert out["Estimated value"] == "£180,000 to £240,000"
    assert out["Tender submission deadline"] == "12:00 on 18 June 2027"
    assert out["Closing date"] == "30 April 2026 (closed); 30 September 2027"


def test_label_lines_and_headings():
    out = fields("""<h1>Fund: the title</h1><ul><li><strong>Amount:</strong> £2,000 to £12,000</li>
      <li><strong>Round 30 closes:</strong> 12 noon, September 30, 2027</li></ul>
      <h2>How much can I apply for?</h2><p>Up to £10k.</p><p>Most get less.</p>
      <h2>Who can apply</h2><ul><li>charities</li><li>councils</li></ul><h3>Who cannot apply</h3><p>individuals</p>""")
    assert out["Amount"] == "£2,000 to £12,000"
    assert out["Round 30 closes"] == "12 noon, September 30, 2027"
    assert out["How much can I apply for?"] == "Up to £10k.; Most get less."
    assert out["Who can apply"] == "charities; councils"
    assert out["Who cannot apply"] == "individuals"
    assert "Fund" not in out  # a heading is not a "Label: value" line


def test_funder_labels():
    fields = {"Area": "x", "Funded by": "Peterborough City Council"}
    assert funder_from_fields(fields) == "Peterborough City Council"
    assert funder_from_fields({"Funding organisation": "Home Office"}) == "Home Office"
    assert funder_from_fields({"Area": "x"}) is None


def test_list_items_ending_in_semicolons_are_joined_once():
    got = fields("<main><h2>Who can apply</h2><ul><li>district and city councils;</li>"
                 "<li>registered charities;</li><li>community groups.</li></ul></main>")
    assert got["Who can apply"] == "district and city councils; registered charities; community groups."


def test_a_list_whose_items_lead_with_a_label_element_and_no_colon_gives_fields():
    """A card's meta list sets each label apart in its own element, with no colon: the label is the
    element, the value what follows it (so "When to apply  1 May to 30 June" is a dated field)."""
    out = fields("""<ul class="meta"><li><span>Grant size</span> Between £500 and £5,000</li>
      <li><span>Area</span> All of Durham apart from Darlington</li>
      <li><span>When to apply</span> 4 September 2026 to 1 March 2028</li></ul>""")
    assert out == {"Grant size": "Between £500 and £5,000", "Area": "All of Durham apart from Darlington",
                   "When to apply": "4 September 2026 to 1 March 2028"}


def test_bold_words_opening_list_items_are_not_labels_unless_every_item_is_so_led():
    out = fields("""<ul><li><strong>Charities</strong> with an income under £1m</li>
      <li>Community groups with a constitution</li></ul>
      <p><strong>Note</strong> the fund is popular.</p>""")
    assert out == {}
