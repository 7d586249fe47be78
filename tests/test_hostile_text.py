"""Text is cleaned before it is read: encodings, stray bytes, entities, control and invisible characters, glyph soup."""
from __future__ import annotations

import pytest

from pipeline.extract import process_source
from pipeline.ingest import Source
from pipeline.readers.cleaning import clean, decode, garbled
from pipeline.readers.text import read_text

PLAN = "Service Plan 2024/25\n\nThe budget includes savings of £1.2 million.\n"


def budgets(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    result = process_source(Source(path))
    return result, [r.amount_gbp for r in result.records if r.type == "budget"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig", "cp1252"])
def test_every_encoding_a_desktop_saves_is_read(tmp_path, encoding):
    result, amounts = budgets(tmp_path, "plan.txt", PLAN.encode(encoding))
    assert result.status == "ok" and amounts == [1_200_000]


@pytest.mark.parametrize("stray", [b"\x81", b"\xff", b"\x8d\x90"])
def test_a_stray_byte_is_replaced_and_reported_not_fatal(tmp_path, stray):
    data = PLAN.encode("utf-8").replace(b"\n\nThe", b"\n" + stray + b"\nThe")
    result, amounts = budgets(tmp_path, "plan.txt", data)
    assert amounts == [1_200_000]
    assert any(i.code == "replaced_bytes" and i.severity == "warning" for i in result.issues)


def test_utf8_with_a_stray_byte_stays_utf8():
    text = decode("Café – £1.2m ".encode() + b"\x81 more").text
    assert text.startswith("Café – £1.2m ") and "\ufffd" in text


def test_entities_are_decoded(tmp_path):
    result, amounts = budgets(tmp_path, "plan.html", PLAN.replace("£", "&pound;").encode())
    assert amounts == [1_200_000]
    assert clean("a &amp; b &#163;5 &#xA3;6 &nosuch; &para meters").text == "a & b £5 £6 &nosuch; &para meters"


@pytest.mark.parametrize("noise", ["\u200b", "\x1b[1;31m", "\x00", "\u00ad", "\x07"])
def test_invisible_and_control_characters_do_not_lose_records(tmp_path, noise):
    data = PLAN.replace("£1.2", f"£{noise}1.2").replace("million", f"mil{noise}lion").encode()
    result, amounts = budgets(tmp_path, "plan.txt", data)
    assert amounts == [1_200_000]


def test_removed_control_characters_are_reported():
    cleaned = clean("a\x00b\x1b[0mc\x07d\u200be")
    assert cleaned.text == "abcde"
    assert cleaned.issues == [("control_characters", "removed 1 terminal escape sequences, 1 control characters, 1 NUL characters")]


def test_form_feeds_break_lines():
    assert read_text("x.txt", b"Budget\x0cServices").text == "Budget\nServices"


def test_binary_is_still_binary():
    with pytest.raises(Exception) as exc:
        read_text("x.txt", bytes(range(256)) * 20)
    assert exc.value.code == "binary"


def test_glyph_soup_is_garbled_and_plans_are_not(corpus):
    assert garbled("(cid:3)(cid:4)(cid:5)" * 60)
    assert garbled("".join(chr(0xE000 + (k % 90)) for k in range(400)))
    assert garbled(" ".join("#$%&'*+,-./:;<=>?@" [k % 17:] for k in range(200)))
    assert garbled(" ".join(["Xkq", "Zpwvrtn", "Bcdfgh", "Qwrtzpl", "Mnbvcxz"] * 40))  # no vowels, no common words
    for path in sorted((corpus / "text").glob("*.txt")):
        assert not garbled(path.read_text(encoding="utf-8")), path.name


def test_a_garbled_document_is_partial(tmp_path):
    soup = "Service Plan 2024/25\n\n" + "\n".join("(cid:12)(cid:7)(cid:33) " * 20 for _ in range(20))
    result, _ = budgets(tmp_path, "soup.txt", soup.encode())
    assert result.status == "partial" and any(i.code == "garbled_text" for i in result.issues)


@pytest.mark.parametrize("space", ["\u00a0", "\u2007", "\u202f"])
def test_no_break_spaces_read_as_spaces(tmp_path, space):
    data = PLAN.replace("£1.2 million", f"£1.2{space}million").replace(" ", space, 3).encode()
    result, amounts = budgets(tmp_path, "plan.txt", data)
    assert amounts == [1_200_000]
    assert clean(f"5{space}working days").text == "5 working days"  # same length: offsets unchanged


def test_garbled_stops_early_only_when_the_rest_cannot_change_the_verdict():
    """Prose first and soup after, or stopwords only at the start: the early verdict is the full count's."""
    from pipeline.readers.cleaning import GARBLED_CHECK_EVERY

    prose = "the council will spend its budget on waste and recycling services for residents " * 4
    soup = " ".join(["Xkq", "Zpwvrtn", "Bcdfgh", "Qwrtzpl", "#$%&"] * 30)
    assert garbled(prose + soup)  # bad tokens past half, though the first ones read as prose
    assert not garbled(soup[: len(soup) // 3] + " " + prose * 3)
    few_stopwords = "the " + " ".join(["Recycling", "Waste", "Housing", "Planning"] * 40)  # one stopword in 161 words
    assert garbled(few_stopwords) and GARBLED_CHECK_EVERY < 161
