"""The digest's message written as bytes: standard MIME that mail clients read back as it
was written, 7-bit throughout, with no way for text to add a header."""

from __future__ import annotations

import email
from email import policy

import pytest

from tracker.digest.mime import Mail, header_line

HOSTILE = "Fund\r\nBcc: everyone@example.com"


def mail(**kw) -> Mail:
    headers = [("Subject", kw.get("subject", "Funding digest: 5 new for you")),
               ("From", ("Funding tracker", "t@council.example")),
               ("To", kw.get("to", ("Ada Admin", "ada@council.example"))),
               ("Message-ID", "<m1@council.example>"), ("MIME-Version", "1.0")]
    return Mail(headers, kw.get("text", "Hello\n"), kw.get("html", "<p>Hello</p>\n"))


def parse(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=policy.default)


def test_parts_read_back_exactly_and_every_byte_is_7bit():
    text = "Closes 14 March 2027 (104 days) · £5,000 to £50,000 — “Youth” fund\n" + "x" * 200 + " \n.\nFrom here\n"
    html = '<p style="color:#505a5f">a=b &amp; ünïcode</p>\n'
    raw = mail(text=text, html=html).smtp_bytes()
    assert raw.isascii() and b"\r\n" in raw and b"\r\n\r\n" in raw
    assert all(len(line) <= 78 for line in raw.split(b"\r\n"))
    msg = parse(raw)
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    assert msg.get_body(("plain",)).get_content().replace("\r\n", "\n") == text
    assert msg.get_body(("html",)).get_content().replace("\r\n", "\n") == html
    assert parse(mail(text=text).as_bytes()).get_body(("plain",)).get_content() == text


def test_a_line_break_in_a_header_value_is_refused():
    for kw in ({"subject": HOSTILE}, {"to": (HOSTILE, "ada@council.example")},
               {"to": ("Ada", "ada@council.example\r\nBcc: x@example.com")}):
        with pytest.raises(ValueError):
            mail(**kw).smtp_bytes()


def test_names_and_subjects_beyond_ascii_are_encoded_and_read_back():
    name = "Zoë Ünderwood-Smythe, Head of Community Safety and Partnerships (Peterborough)"
    subject = "Résumé des financements: 12 new for you, 3 closing soon, 2 changed (week of 30 November 2026)"
    raw = mail(subject=subject, to=(name, "zoe@council.example")).smtp_bytes()
    assert raw.isascii() and all(len(line) <= 78 for line in raw.split(b"\r\n"))
    msg = parse(raw)
    assert msg["Subject"] == subject
    assert msg["To"].addresses[0].display_name == name and msg["To"].addresses[0].addr_spec == "zoe@council.example"
    short = 'Ädä "The" Admin, Esq.'
    raw = mail(subject="Résumé", to=(short, "ada@council.example")).smtp_bytes()
    assert raw.isascii() and parse(raw)["To"].addresses[0].display_name == short
    assert parse(raw)["Subject"] == "Résumé"


def test_long_ascii_headers_fold_at_spaces_and_unfold_to_the_same_text():
    subject = "Funding digest: 304 new for you, 21 closing soon, 52 changed (week of 7 December 2026)"
    raw = mail(subject=subject, to=('Smith, John "JJ"', "j@council.example")).smtp_bytes()
    head = raw.split(b"\r\n\r\n", 1)[0].decode()
    assert "Subject: Funding digest: 304 new" in head and "\r\n " in head
    msg = parse(raw)
    assert msg["Subject"] == subject and msg["To"].addresses[0].display_name == 'Smith, John "JJ"'


def test_a_long_url_is_never_broken():
    url = "<https://tracker.example/email/unsubscribe/" + "A" * 90 + ">"
    assert header_line("List-Unsubscribe", url) == f"List-Unsubscribe: {url}"


def test_message_id_can_be_replaced_and_each_message_has_its_own_boundary():
    a, b = mail(), mail()
    a.replace_header("Message-ID", "<m2@council.example>")
    assert parse(a.smtp_bytes())["Message-ID"] == "<m2@council.example>" and a["message-id"] == "<m2@council.example>"
    assert a.boundary != b.boundary and a.boundary.startswith("=_")
