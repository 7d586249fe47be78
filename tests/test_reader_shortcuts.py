"""Shortcuts the text reader takes for speed must read exactly what the long way reads."""
import re
from pathlib import Path

import pytest

from pipeline.readers import rows, text as text_reader
from pipeline.readers.cleaning import garbled
from pipeline.readers.text import read_text, scan_lines, split_lines

from snippets import block_spans

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "text"


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.name[:40])
def test_plain_lines_read_as_the_readers_would(path, monkeypatch):
    """The plain-line gate only skips readers that could not start a table at that line."""
    text = read_text(path.name, path.read_bytes()).text
    gated = block_spans(scan_lines(text))
    monkeypatch.setattr(text_reader, "_plain_line", lambda lines, i, no_stream_before: False)
    assert block_spans(scan_lines(text)) == gated


def test_plain_line_gate_passes_sentences_and_stops_at_table_signs():
    lines = split_lines("The council will work with its partners to deliver better services for all of its residents.\n"
                        "Budget 2024/25 £000\n"
                        "Waste  Recycling\n")
    assert text_reader._plain_line(lines, 0, 0)
    assert not text_reader._plain_line(lines, 1, 0)  # a slash and a unit
    assert not text_reader._plain_line(lines, 2, 0)  # two cells a gutter apart
    sentence = "The council will work with its partners to deliver better services for all of its residents"
    lines = split_lines(f"{sentence} / and visitors.\n{sentence}.\n/ 76a / 166.68\n{sentence} | and visitors.\n")
    assert not text_reader._plain_line(lines, 0, 0)  # a cell separator in the line
    assert not text_reader._plain_line(lines, 1, 0)  # a cell separator opening the next line
    assert not text_reader._plain_line(lines, 3, 0)  # a pipe
    assert not text_reader._plain_line(split_lines("Short heading\n"), 0, 0)  # could be a one-cell-per-line table
    assert text_reader._plain_line(split_lines("Short heading\n"), 0, 1)  # ...unless its run was already read


_TAIL = re.compile(rf"(?<!\S)(?:(?:{rows._FIGURE})\s*)+$", re.I)  # the pattern tail_start stands in for


@pytest.mark.parametrize("line", [
    "Net expenditure " + "word " * 60 + "12 (3) 4,500 -",
    "x" * 300 + " " + " ".join(["1,234"] * 60),  # a tail longer than the window read first
    "x" * 300 + " n/a 12",
    "Total " + "y" * 170 + "n/a 12",  # the window cuts a word whose end looks like figures
    "Prose that ends in a full stop.",
])
def test_tail_start_from_the_end_of_long_lines(line):
    m = _TAIL.search(line)
    assert rows.tail_start.__wrapped__(line) == (m.start() if m else None)


def test_broken_sentence_rejoined_by_its_last_word_only():
    doc = read_text("t.txt", b"We will work with residents and\n\npartners across the borough.\n\nA heading\n\nNext paragraph.\n")
    assert doc.blocks[0].text == "We will work with residents and\n\npartners across the borough."
    doc = read_text("t.txt", b"We will keep working closely with local partners and community groups to improve the\n\n"
                             b"New Schools Programme\n\nWe will report on progress to Cabinet.\n")
    assert doc.blocks[0].kind == "paragraph" and doc.blocks[0].text.endswith("New Schools Programme")
    doc = read_text("t.txt", b"We will keep working closely with local partners and community groups to improve theatre\n\n"
                             b"New Schools Programme\n")
    assert doc.blocks[1].text == "New Schools Programme"  # "theatre" is no dangling "the"


def test_garbled_counts_repeated_tokens_each_time():
    soup = " ".join(["Xkq", "Zpwvrtn", "Bcdfgh", "Qwrtzpl"] * 40)
    assert garbled(soup)
    assert not garbled("the council will spend its budget on waste and recycling services for residents " * 40)


@pytest.mark.parametrize("line", ["/ 76a / 166.68", "Ref /", "BVPI/LPI 2001/02 N/A", "a / b", "a /b", "a/ b", "/", "no slash",
                                  "  padded / cells  ", "2023/24 to 2025/26 /\t"])
def test_slash_separators_found_slash_by_slash(line):
    from pipeline.readers import delimited

    assert delimited.is_delimited_line(line) == bool("/" in line and delimited._SEPARATOR.search(line.strip()))


@pytest.mark.parametrize("line", ["Telephones760200780", "Salaries142,1504,300(470) 145,980  ", "Prose " * 80 + "x12 3",
                                  "Total 12, (3) 4", "No figures here", "42"])
def test_glued_figures_searched_from_the_numeric_tail(line):
    def span(m):
        return m.span() if m else None

    assert span(rows._GLUED_TAIL.search(line, rows._numeric_tail(line))) == span(rows._GLUED_TAIL.search(line))


def test_ascii_ink_spelt_as_the_patterns_spell_it():
    from pipeline.readers import aligned

    for line in ["Budget  12  14", "\tcell\x0b\x1c x\x1f ", "".join(chr(c) for c in range(128)), "é  wide", "   "]:
        assert aligned._ink(line) == int(aligned._BLANK.sub("0", aligned._INKED.sub("1", line))[::-1], 2)


def test_clean_skips_substitutions_only_when_nothing_odd_is_there():
    from pipeline.readers.cleaning import clean

    assert clean("plain text\nwith lines\t and tabs").text == "plain text\nwith lines\t and tabs"
    done = clean("a\x0cb\x00c\x07d\u2028e")
    assert done.text == "a\nbcd\ne" and done.issues and "NUL" in done.issues[0][1]


def test_tab_cells_trimmed_as_cell_trims_them():
    text = "x\n  Budget \t\xa0 12,000 \t\t   \tend\xa0\n"
    line = split_lines(text)[1]
    pos, expected = line.start, []
    for part in line.text.split("\t"):
        expected.append(text_reader._cell(text, pos, pos + len(part)))
        pos += len(part) + 1
    assert text_reader._split_tabs(line, text) == expected


def _role_patterns_under_seed(seed: str) -> str:
    import os
    import subprocess
    import sys

    code = ("from pipeline.tables import vocabulary as v\n"
            "print('\\n'.join(v._role_pattern(r)[0].pattern + repr(v._role_pattern(r)[1]) for r in v.ROLES))")
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parent.parent).stdout


def test_role_pattern_does_not_depend_on_the_hash_seed():
    """The letter groups go in letter order: the same regex (and timings) in every run."""
    assert _role_patterns_under_seed("1") == _role_patterns_under_seed("2")


def test_role_pattern_finds_what_one_plain_alternation_finds():
    """Grouping the alternatives by first letter finds the same terms as trying all of them, longest first."""
    from pipeline.tables import vocabulary as v

    for role in v.ROLES:
        atoms = [(alt, t.value) for t in v.terms() if t.role == role
                 for alt in v.alternatives(t.pattern.pattern[len("(?<![\\w£])(?:"):-len(")(?![\\w])")])]
        atoms.sort(key=lambda a: -len(a[0]))
        plain = re.compile(r"(?<![\w£])(?:" + "|".join(f"({a})" for a, _ in atoms) + r")(?![\w])", re.I)
        for path in sorted(CORPUS.glob("*.txt")):
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                long_way = [(atoms[m.lastindex - 1][1], m.start(), m.end()) for m in plain.finditer(line)]
                assert [(h.value, h.start, h.end) for h in v.hits(role, line)] == long_way, (role, line)


def _numbered_run_long_way(text):
    """The run-on markers' longest run as first written: every start tried against every later marker."""
    from pipeline.readers import runon

    found = list(runon._MARKER.finditer(text))
    best = []
    for i, first in enumerate(found):
        if first.group("num") != "1" and first.group("sub") != "1":
            continue
        run = [first]
        for m in found[i + 1:]:
            if runon._follows(run[-1], m):
                run.append(m)
        if len(run) > len(best):
            best = run
    return [(m.group("m"), m.start(), m.end()) for m in best] if len(best) >= runon.S.runon_min_rows else []


def _random_markers(seed: int) -> str:
    import random

    rng = random.Random(seed)
    parts = []
    for _ in range(rng.randint(1, 40)):
        prefix = rng.choice(["", "", "A", "B"])
        num = str(rng.choice([0, 1, 1, 2, 2, 3, 4, 5]))
        sub = rng.choice(["", "", f".{rng.choice([0, 1, 1, 2, 3])}"])
        dot = rng.choice(["", ".", ")"])
        parts.append(f"{prefix}{num}{sub}{dot} {rng.choice(['Item', 'Plan', '£5', '(a)'])} words")
    return " ".join(parts)


def test_numbered_run_in_one_pass_finds_the_long_way_run():
    """Growing every run together in one pass picks the run trying each start in turn picks."""
    from pipeline.readers import runon

    texts = [_random_markers(seed) for seed in range(3000)]
    for path in sorted(CORPUS.glob("*.txt")):
        texts += [line for line in path.read_text(encoding="utf-8", errors="replace").splitlines() if len(line) > 80]
    assert sum(1 for t in texts if _numbered_run_long_way(t)) > 100  # the comparison covers runs found
    for t in texts:
        assert [(m.ref, m.start, m.text_start) for m in runon.numbered_run(t)] == _numbered_run_long_way(t), t
