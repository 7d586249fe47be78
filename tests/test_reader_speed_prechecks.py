"""The text reader's cheap pre-checks must let through everything the work they stand before could accept.

Each test puts a pre-check (or a rewritten count) beside the long way it replaces: the scan beside
the chain that asked every reader, the stream gate beside ``rebuild`` without it, the cleaning
counts beside the patterns they stand for.  They go red if a shortcut ever reads a text differently.
"""
import random
import re
from pathlib import Path

import pytest

from pipeline.readers import aligned, cleaning, delimited, rows, runon, streams
from pipeline.readers import text as text_reader
from pipeline.readers.text import read_text, scan_lines, split_lines

from snippets import block_spans
from pipeline.readers.text_settings import TEXT_SETTINGS
from pipeline.tables.view import parse_text

ROOT = Path(__file__).resolve().parent.parent
PLANS = sorted((ROOT / "corpus" / "text").glob("*.txt")) + sorted((ROOT / "tests" / "fixtures").glob("**/*.txt"))


def _variants(text: str) -> dict[str, str]:
    """The plan as written, and laid out again the ways other converters write it."""
    lines = text.split("\n")
    return {
        "as written": text,
        "indented": "\n".join("    " + line if line.strip() else line for line in lines),
        "double-spaced": "\n\n".join(lines),
        "no blank lines": "\n".join(line for line in lines if line.strip()),
        "tabs as spaces": text.replace("\t", "   "),
        "tabs as pipes": text.replace("\t", " | "),
    }


def _texts():
    for path in PLANS:
        for name, variant in _variants(read_text(path.name, path.read_bytes()).text).items():
            yield pytest.param(variant, id=f"{path.name[:30]}-{name}")


def _long_way(text: str) -> list:
    """The scan as it was before its gates: every reader asked in turn, in the same order."""
    t = text_reader
    lines = split_lines(text)
    blocks, i, n, no_stream_before = [], 0, len(lines), 0
    while i < n:
        line = lines[i]
        if line.blank or (not line.stripped and not (t._is_cell_line(line) and t._cell_table_ahead(lines, i))):
            i += 1
        elif t._plain_line(lines, i, no_stream_before):
            blocks.append(t._line_block(line, text))
            i += 1
        elif t._is_md(line):
            i = t._read_markdown(lines, i, blocks, text)
        elif t._is_cell_line(line) and t._cell_table_ahead(lines, i):
            i = t._read_cell_table(lines, i, blocks, text)
        elif t._is_tsv(line):
            i = t._read_tsv(lines, i, blocks, text)
        elif (stop := delimited.region(lines, i)) > i and (slashed := delimited.read(lines, i, stop, text)) is not None:
            blocks.append(t._table_block(delimited.square(slashed.header, slashed.rows), text, len(slashed.header)))
            i = stop
        elif (laid_out := aligned.read(lines, i)) is not None:
            blocks.append(t._table_block([[t._cell(text, a, b) for a, b in row] for row in laid_out.rows], text))
            i = laid_out.next_line
        elif (found := rows.read(lines, i)) is not None and not aligned.within(lines, i + 1, found.next_line):
            if found.before:
                first = lines[found.before[0]].start
                while blocks and blocks[-1].start >= first:
                    blocks.pop()
            blocks.append(t._table_block(found.header + found.rows, text, len(found.header)))
            i = found.next_line
        elif t._anchored_header(lines, i):
            i = t._read_anchored(lines, i, blocks, text)
        elif t._spaced_table_ahead(lines, i):
            i = t._read_spaced(lines, i, blocks, text)
        elif (flat := runon.read(line.text, line.start)) is not None:
            blocks.extend(runon.blocks(flat, line.text, line.start))
            i += 1
        elif i >= no_stream_before and streams.stream_line(line):
            cells, end = streams.collect(lines, i)
            held_back = aligned.within(lines, i + 1, end)
            j = None if held_back else t._read_stream(lines, blocks, text, cells, end)
            if j is None:
                no_stream_before = no_stream_before if held_back else end
                blocks.append(t._line_block(line, text))
                i += 1
            else:
                i = j
        else:
            blocks.append(t._line_block(line, text))
            i += 1
    return blocks


@pytest.mark.parametrize("text", list(_texts()))
def test_scan_reads_as_the_ungated_chain_would(text, monkeypatch):
    """Each reader is asked only of lines holding what it needs; streams only when a line opens as a figure or
    a reference, aligned tables inside them only when a gutter is there: the blocks are the long way's."""
    assert block_spans(scan_lines(text)) == block_spans(_long_way(text))
    monkeypatch.setattr(text_reader, "_plain_line", lambda lines, i, no_stream_before: False)
    assert block_spans(scan_lines(text)) == block_spans(_long_way(text))  # every line through the chain


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name[:40])
def test_stream_rebuild_precheck_lets_every_table_through(path, monkeypatch):
    text = read_text(path.name, path.read_bytes()).text
    lines = split_lines(text)
    streams_found = [streams.collect(lines, i)[0] for i in range(len(lines)) if streams.stream_line(lines[i])]
    gated = [repr(streams.rebuild(cells)) for cells in streams_found]
    monkeypatch.setattr(streams, "_may_hold_table", lambda cells: True)
    assert gated == [repr(streams.rebuild(cells)) for cells in streams_found]


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name[:40])
def test_stream_walks_and_text_gates_agree_with_the_lines(path):
    text = read_text(path.name, path.read_bytes()).text
    for variant in _variants(text).values():
        lines = split_lines(variant)
        for i in range(len(lines)):
            k = i  # stream_end is _cell_line's walk
            while k < len(lines) and (not lines[k].stripped or streams._cell_line(lines[k])):
                k += 1
            assert streams.stream_end(lines, i) == k
            if not text_reader._stream_may_hold_table(variant, lines, i, k):  # no figure or reference cell there
                cells = streams.cells_between(lines, i, k)
                assert not any(c.kind in ("number", "percent") or streams.REF_CELL.match(c.text) for c in cells)
            for stop in (i + 1, k, min(len(lines), i + 40)):
                assert text_reader._aligned_within(lines, i, stop, variant) == aligned.within(lines, i, stop)


CELLS = ["12", "1,234", "(1,234)", "-12", "– 3.5", "−7", "£12", "£ 1.2m", "( £45 )", ".5", "45%", "12 %", "3 (2)", "7*",
         "4[1]", "12 cr", "A1", "AB 12", "ABCD1.2.3a.", "1.1", "12a", "n/a", "Green", "Budget", "2019/20", "(at 2012)"]


@pytest.mark.parametrize("cell", CELLS)
def test_figure_or_reference_opening_lets_every_figure_and_reference_cell_through(cell):
    if parse_text(cell).kind in ("number", "percent") or streams.REF_CELL.match(cell):
        for margin in ("", "   ", "\t", "\xa0 "):
            text = "A heading line\n" + margin + cell + "\nlast"
            lines = split_lines(text)
            assert text_reader._stream_may_hold_table(text, lines, 1, 2)


@pytest.mark.parametrize("line", ["Budget  12  14", "a  b", "  padded", "trailing  ", "a \t  b", "x" + " " * 300 + "y",
                                  "one space only", "a\xa0\xa0 b", "", "   ", "é  wide  2", "a  \n  b"])
def test_gap_found_from_the_gutter_as_the_gap_pattern_finds_it(line):
    assert (aligned._GAP_FROM_GUTTER.search(line) is None) == (aligned._GAP.search(line) is None)


def test_bands_counted_by_bits_as_the_spans_count_them():
    pick = random.Random(11)
    inks = [0, 1, 0b101, 0b1001, 0b10011001, 0b1100000011]
    inks += [pick.getrandbits(pick.randrange(1, 160)) for _ in range(3000)]
    inks += [aligned._ink(line.text) for path in PLANS[:5] for line in split_lines(path.read_text(encoding="utf-8"))]
    for ink in inks:
        assert aligned._bands(ink) == len(aligned._band_spans(ink, TEXT_SETTINGS.aligned_min_gutter)), bin(ink)


@pytest.mark.parametrize("line", ["• item", "- item", "* item", "12. item", "3) item", "(a) item", "(iv) item", "a. item",
                                  "b) item", "–– x", "—item", "Capital item", "1 2", "٣. item", "x", "", "(", "z) last"])
def test_list_marker_opening_lets_every_bullet_through(line):
    m = text_reader._BULLET_ITEM.match(line)
    if m is None:
        assert text_reader._list_marker(line) is None
    else:
        assert text_reader._list_marker(line) is not None


SAMPLES = ["plain text\n", "tab\tand\r\nwindows\rmac", "é\x01\x02 controls \x1f\x7f", "\x00\x00 nul", "£12 – 3", "\u200bzero\ufeff",
           "a\u2028b\x85c\x0c", "\x1b[31mred\x1b[0m", "&amp; &#163;", "no-break\xa0space\u202f", "\ud800 lone", "\x01" * 300,
           "x\x1c\x1d\x1e", "mixed \u00ad soft \u180e mongolian \u2060 joiner \ufffa"]


@pytest.mark.parametrize("text", SAMPLES)
def test_control_characters_counted_in_bytes_as_the_pattern_counts_them(text):
    for sample in (text, text * 200):
        bad = len(cleaning._CONTROL_BUT_SPACING.findall(sample[:cleaning.SAMPLE]))
        assert cleaning.mostly_control(sample) == (bad > len(sample[:cleaning.SAMPLE]) * cleaning.CONTROL_SHARE)


def _two_pass_clean(text: str) -> cleaning.Cleaned:
    """``clean`` as it was: its searches and substitutions made whatever the text held."""
    import html

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in text:
        text = cleaning._ENTITY.sub(lambda m: html.unescape(m.group()), text)
    removed: dict[str, int] = {}
    if "\x1b" in text:
        text = cleaning._count_sub(cleaning._ANSI, "", text, removed, "terminal escape sequences")
    odd = cleaning._ODD_CHARACTER.search(text) is not None
    text = cleaning._same_spaces(cleaning._count_sub(cleaning._BREAKS, "\n", text, removed, None) if odd else text)
    if not text.isascii():
        text = cleaning._count_sub(cleaning._INVISIBLE, "", text, removed, None)
    nul = text.count("\x00")
    if odd:
        text = cleaning._count_sub(cleaning._CONTROL, "", text, removed, "control characters")
    return cleaning._reported(text, removed, nul)  # the report is shared; the searches above are what is compared


@pytest.mark.parametrize("text", SAMPLES)
def test_clean_in_one_search_cleans_as_the_two_searches_did(text):
    assert cleaning.clean(text) == _two_pass_clean(text)
    assert cleaning._ODD_OR_INVISIBLE.pattern == re.sub(r"\]\[", "", cleaning._ODD_CHARACTER.pattern + cleaning._INVISIBLE.pattern)


PROSE_OR_NOT = ["The council will deliver.", "Net spend 12 14", "Total – –", "12 (3) n/a nil", "Salaries 12,345 (", "n/a",
                "Band D 1,234.56%", "______", "  Page 3", "Ends with a dash -", "x" * 200 + " 12", "[1] [2]", "12(3)"]


@pytest.mark.parametrize("text", PROSE_OR_NOT + [line.text for path in PLANS[:6]
                                                 for line in split_lines(path.read_text(encoding="utf-8"))])
def test_a_prose_line_is_no_figure_row_without_columns(text):
    """The figure-rows walk reads a prose line as a miss without asking figure_row or the figures-only pattern."""
    line = split_lines(text)[0]
    if rows._prose_line(line):
        assert not line.blank and not rows._rule_line(line.stripped)
        assert rows.figure_row(line.text) is None and not rows._FIGURES_ONLY.match(line.text)


@pytest.mark.parametrize("raw", ["Plain line", "  indented item", "- bullet", "Heading\t", "\xa0padded\xa0", "HEADING",
                                 "trailing  ", "\tcell", "a\xa0b", "1. First", "x"])
def test_a_line_with_nothing_to_trim_is_its_own_block(raw):
    text = "above\n" + raw + "\nbelow"
    line = split_lines(text)[1]
    lead = len(line.text) - len(line.text.lstrip(" \t\xa0"))
    start, end = line.start + lead, line.start + len(line.text.rstrip(" \t\xa0"))
    block = text_reader._line_block(line, text)
    assert (block.text, block.start, block.end) == (text[start:end], start, end)
    assert block.level == (1 if lead else 0) or block.kind != "list_item"


def test_dangling_last_letters_are_every_character_the_pattern_could_end_on():
    """A broken sentence's dangling word is looked for only when the text ends in one of these characters."""
    last_letters = re.compile("[" + "".join({w[-1] for w in text_reader._DANGLING.pattern[3:-2].split("|")}) + "]", re.I)
    could_end = {c for c in map(chr, range(0x110000)) if last_letters.fullmatch(c)}
    assert could_end == set(text_reader._DANGLING_LAST)


@pytest.mark.parametrize("ending", ["to", "and", "OR", "The", "aſ", "with", "thAt", "from", "By", "sea", "lots", "done",
                                    "plan", "x", "Budget", "2024", "it", "ok"])
def test_dangling_word_precheck_lets_every_match_through(ending):
    text = "Something " + ending
    if text_reader._DANGLING.search(text):
        assert text[-1] in text_reader._DANGLING_LAST


def test_number_paragraph_opening_is_a_decimal_digit():
    """Only a text opening with what ``\\d`` matches is tried against the numbered-paragraph pattern."""
    digit = re.compile(r"\d")
    assert all(bool(digit.fullmatch(c)) == c.isdecimal() for c in map(chr, range(0x110000)))


@pytest.mark.parametrize("stripped", ["a " * 14 + "b", "a " * 13 + "b", "w" * 28, "a\u3000" * 15 + "b", "x y", "",
                                      "one two three four five six seven eight nine ten eleven twelve thirteen",
                                      "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15", "a\tb " * 8])
def test_word_counts_skipped_only_for_lines_too_short_to_hold_so_many_words(stripped):
    for most in (12, TEXT_SETTINGS.stream_cell_max_words):
        if len(stripped.split()) > most:
            assert len(stripped) > 2 * most


@pytest.mark.parametrize("stripped", ["a " * 12 + "b", "a " * 13 + "b", "A B C D E F G H I J K L M", "Short heading",
                                      "A\u2003" * 13 + "Z", "Aims of the service", "x"])
def test_heading_and_stream_tests_read_as_the_word_counts_would(stripped):
    words = len(stripped.split())
    long_heading = (stripped and len(stripped) <= 90 and not stripped[0].islower() and stripped[-1] not in ".,;:!?"
                    and not text_reader._NO_LETTER.fullmatch(stripped))
    if long_heading and words > 12:
        assert not text_reader.looks_like_heading(stripped)
    if words > TEXT_SETTINGS.stream_cell_max_words and stripped.endswith("."):
        assert not streams.is_stream_line(stripped)


def test_ink_characters_are_what_the_ink_pattern_matches():
    """A line opening with one of these is no drawn rule without searching it."""
    assert {c for c in map(chr, range(0x110000)) if rows._INK.fullmatch(c)} == set(rows._INK_CHARACTERS)


@pytest.mark.parametrize("stripped", ["______", "¯¯¯¯", "--- a", "a ---", "", "%", "£", "  ", "== 1 ==", "Plan", "‘quoted’"])
def test_rule_line_precheck_reads_as_the_pattern(stripped):
    assert rows._rule_line(stripped) == (bool(stripped) and not rows._INK.search(stripped))


@pytest.mark.parametrize("raw", ["a\tb\tc", "\tcell", "  padded \t\xa0 b\xa0 \t", "\t\t", "x", "é\t£12\t  ", "a \t\t b"])
def test_tab_cells_trimmed_in_place_as_cell_trims_them(raw):
    text = "above\n" + raw + "\nbelow"
    line = split_lines(text)[1]
    cells, pos = [], line.start
    for part in line.text.split("\t"):
        cells.append(text_reader._cell(text, pos, pos + len(part)))
        pos += len(part) + 1
    assert [(c.text, c.start, c.end) for c in text_reader._split_tabs(line, text)] == [(c.text, c.start, c.end) for c in cells]


def test_attribution_openers_are_what_its_first_letters_match():
    first = re.compile("[" + "".join(w[0] for w in "Led|Headed|Managed|Chaired|Run|Overseen".split("|")) + "]", re.I)
    assert text_reader._ATTRIBUTION.pattern.startswith("^(Led|Headed|Managed|Chaired|Run|Overseen)")
    assert {c for c in map(chr, range(0x110000)) if first.fullmatch(c)} == set(text_reader._ATTRIBUTION_OPENERS)


def test_a_letter_is_never_a_no_letter_character():
    assert not any(text_reader._NO_LETTER.fullmatch(c) for c in map(chr, range(0x110000)) if c.isalpha())


@pytest.mark.parametrize("stripped", ["Led by the council", "led by", "Run by us", "Overseen by X", "Managed by", "LED BY",
                                      "123", "--", "£ 12", "_", "Héading", "Budget", "Ledger", "A B C D E F G H I J K L M"])
def test_heading_prechecks_read_as_the_patterns(stripped):
    expected = not (len(stripped.split()) > 12 or text_reader._ATTRIBUTION.match(stripped)
                    or text_reader._NO_LETTER.fullmatch(stripped))
    assert text_reader.looks_like_heading(stripped) == expected
