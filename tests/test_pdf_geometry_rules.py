"""Snippet tests for the PDF reader's geometry rules, on word boxes laid out by hand (no producer behind them):
each test sets one layout and its look-alike that the rule must leave alone."""
from __future__ import annotations

from pipeline.readers.pdf_layout import Word, group_lines
from pipeline.readers.pdf_tables import first_row_top, grid_table
from pipeline.readers.pdf_unruled import find_unruled

CHAR = 5.0  # a glyph's advance at 10 pt, near enough
SIZE = 10.0


def words_at(x: float, y: float, text: str, bold: bool = False) -> list[Word]:
    """The words of ``text`` set from ``x`` on the line whose top is ``y``."""
    out = []
    for word in text.split():
        out.append(Word(word, x, x + CHAR * len(word), y, y + SIZE, SIZE, bold))
        x += CHAR * (len(word) + 1)
    return out


def block(x: float, y: float, lines: list[str], leading: float = 12.0) -> tuple[list[Word], float]:
    """A paragraph's lines one under another; returns its words and the top of the line after it."""
    out = []
    for line in lines:
        out += words_at(x, y, line)
        y += leading
    return out, y


# ---------------------------------------------------------------- long text either side of a gap: table or prose

LEFT = ["Publish and consult on the vision and", "build its commitments into the plan", "for mainstream business"]
RIGHT = ["Done. The vision was published in", "July for consultation; feedback is", "being collated now"]


def test_long_text_whose_paragraphs_start_side_by_side_is_a_table():
    """Two columns of long text, each row's cells starting on one line and rows set apart: a table of
    objectives and progress, not two columns of prose (prose columns flow on their own)."""
    words = words_at(60, 100, "Objective", bold=True) + words_at(257, 100, "Progress", bold=True)
    y = 118.0
    for _ in range(4):
        left, end_left = block(60, y, LEFT)
        right, end_right = block(257, y, RIGHT[:2] if _ % 2 else RIGHT)
        words += left + right
        y = max(end_left, end_right) + 6  # the row padding
    tables = find_unruled(words, page_width=595)
    assert len(tables) == 1 and len(tables[0].rows) == 5, [[c.text for c in r] for r in tables[0].rows] if tables else None
    assert tables[0].rows[1][0].text == " ".join(LEFT)


def test_two_prose_columns_with_paragraphs_out_of_step_stay_prose():
    """Two-column prose, paragraphs starting where the text before them ends on each side: not a table."""
    paragraph = ["The council will publish its plan and", "consult on it over the summer with", "residents and partners alike,", "then report."]
    words, y = [], 100.0
    for lengths, x in ((4, 60), (3, 300)):
        y = 100.0
        for n in (lengths, 4, 4, lengths):
            part, y = block(x, y, paragraph[:n])
            words += part
            y += 6
    assert find_unruled(words, page_width=595) == []


# ---------------------------------------------------------------- a booktabs body: records or one record's lines

def _booktabs(body: list[tuple[float, str, str]], wrapped: tuple[float, ...] = ()) -> tuple[list[float], list[float], list[Word]]:
    """A header, a rule under it, the body rows (and labels wrapped onto a second line at ``wrapped``), a foot rule."""
    words = words_at(60, 100, "Head of Service", bold=True) + words_at(150, 100, "Service", bold=True) \
        + words_at(320, 100, "Committee", bold=True)
    for y, label, service in body:
        words += words_at(60, y, label) if label else []
        words += words_at(150, y, service)
    for y in wrapped:
        words += words_at(60, y + 12, "Services")
    return [97.0, 113.0, max(w.bottom for w in words) + 4], [58.0, 140.0, 310.0, 440.0], words


def test_grouped_table_under_a_header_rule_is_cut_into_records():
    """Rules at the head and foot only; a group label set once, on its group's first row; the other rows fill
    one cell each (the blank cells of a grouped table) but are set apart like rows, not like wrapped lines."""
    body = [(118, "Community", "Community Safety"), (146, "", "Health and Leisure"), (164, "", "Economic Development"),
            (182, "Development", "Development Control"), (210, "", "Planning Policy"), (228, "Housing and", "Private Housing")]
    ys, xs, words = _booktabs(body, wrapped=(118, 182, 228))  # labels wrapped as close as wrapped lines are
    table = grid_table(ys, xs, words, split_body=True)
    assert [r[1].text for r in table.rows[1:]] == [s for _, _, s in body]
    assert [r[0].text for r in table.rows[1:]] == ["Community Services", "", "", "Development Services", "", "Housing and Services"]


def test_one_records_lines_under_a_header_rule_stay_one_row():
    """The same rules over one record whose cell holds lines set as close as wrapped lines: the lines are
    that cell's, not rows (a cell's list cut line by line would lose the record)."""
    body = [(118, "Community", "Community Safety"), (130, "", "Health and Leisure"), (142, "", "Economic Development"),
            (154, "Development", "Development Control"), (166, "", "Planning Policy")]
    ys, xs, words = _booktabs(body)
    table = grid_table(ys, xs, words, split_body=True)
    assert len(table.rows) == 2


# ---------------------------------------------------------------- a header label wrapped over several lines

def test_long_header_label_wrapped_above_the_column_heads_is_all_header():
    """A rule-free table whose second column's head is a long label in a narrow column: it runs four lines,
    the first three with nothing in the figure columns.  They are header, not a caption and blank rows."""
    words = []
    for y, text in ((100, "Improving"), (112, "Customer"), (124, "Experience")):
        words += words_at(100, y, text)
    words += words_at(100, 136, "2016/17") + words_at(60, 136, "Ref.") + words_at(300, 136, "Value") + words_at(360, 136, "Target")
    for i, (label, value, target) in enumerate((("Late reports", "15%", "5%"), ("Calls answered", "68%", "60%"),
                                                ("Calls abandoned", "11%", "8%"), ("Claims processed", "10", "12"))):
        y = 154 + 12 * i
        words += words_at(60, y, f"1.{i + 1}") + words_at(100, y, label) + words_at(300, y, value) + words_at(360, y, target)
    tables = find_unruled(words, page_width=595)
    assert len(tables) == 1, tables
    table = tables[0]
    assert table.header_rows == len(table.rows) - 4, [[c.text for c in r] for r in table.rows]
    assert "Improving" in table.rows[0][1].text


# ---------------------------------------------------------------- above a table's first rule: a row or the paragraph before

def _rule_table(above: list[Word]) -> tuple[list[float], list[float], list[Word]]:
    body = []
    for i, (label, figure) in enumerate((("Choices Project", "0.144"), ("Youth and Play Rent", "0.046"))):
        body += words_at(60, 150 + 14 * i, label) + words_at(470, 150 + 14 * i, figure)
    return [146.0, 162.0, 180.0], [58.0, 300.0, 540.0], above + body


def test_paragraph_ending_above_a_top_rule_is_not_the_first_row():
    """The paragraph before a table ends right above its top rule: its full lines break between words at
    the column edge (a word space, not a column gap) and its short last line sits in the first column."""
    text = "to be funded by the allocation of available revenue reserves and grant"  # 70 glyphs: 60 to 410
    above = words_at(60, 118, text) + words_at(60, 130, "as follows:")
    ys, xs, words = _rule_table(above)
    xs = [58.0, 277.5, 540.0]  # an edge falling in a word space of the full line ("available" ends at 275)
    assert first_row_top(words, ys, xs) is None


def test_header_row_above_the_first_rule_is_the_first_row():
    """A table ruled only below each row: the header above the first rule, cells a column gap apart, is its first row."""
    above = words_at(60, 130, "Revenue Items", bold=True) + words_at(470, 130, "£m", bold=True)
    ys, xs, words = _rule_table(above)
    assert first_row_top(words, ys, xs) == 129.0


# ---------------------------------------------------------------- a paragraph cut by a page break

def _item(y: float, lines: list[str]) -> list[Word]:
    """A bulleted list item: the bullet at 60, its text indented to 78."""
    return words_at(60, y, "•") + block(78, y, lines)[0]


def _two_pages(second: str):
    from pipeline.readers.pdf import Page, assemble

    first = ["Deliver the environmental action plan including", "the roll-out of the management system and also",
             "a review of the"]
    words = _item(100, ["Publish the plan and consult on it."]) + _item(118, first)
    words[-1].x1 = 78 + CHAR * len(first[0])  # the last line runs to the column's edge
    one = Page(1, 595, 842, lines=group_lines(words))
    two = Page(2, 595, 842, lines=group_lines(block(78, 100, [second, "service delivery"])[0]
                                              + _item(130, ["Continue to target resources where needed"])))
    return [b.text for b in assemble("t.pdf", [one, two]).blocks if b.text.strip()]


def test_list_item_cut_by_a_page_break_is_one_item():
    """A list item that ran to the column's edge at a page's foot, unfinished, goes on at the next page's head
    in lower case, at the item's text indent: one item, not a second one with a guessed bullet."""
    texts = _two_pages("potential impact of climate change on")
    assert len(texts) == 3 and "review of the potential impact" in texts[1], texts


def test_new_item_at_a_page_head_stays_apart():
    """The next page opening in capitals at the text indent is not joined to the last page's item."""
    texts = _two_pages("Potential impacts are assessed in")
    assert len(texts) == 4, texts


# ---------------------------------------------------------------- words hyphenated at a line's end

def test_line_end_hyphen_dropped_for_a_syllable_break_kept_in_a_compound():
    """Typesetters (LaTeX) break words by syllable: "contribut-" "ing" is one word, since "ing" is no word the
    document uses; "well-" "being" and "door-to-" "door" are compounds, their tails words used elsewhere."""
    from collections import Counter

    from pipeline.readers.pdf_layout import append_wrapped, settle_hyphens

    words = Counter({"being": 2, "door": 3, "improvement": 1})
    assert append_wrapped("and contribut-", "ing to it", words) == "and contributing to it"
    assert append_wrapped("health and well-", "being of all", words) == "health and well-being of all"
    assert append_wrapped("door-to-", "door sales", words) == "door-to-door sales"
    assert append_wrapped("the im-", "provement plan", words) == "the improvement plan"  # spelt whole elsewhere
    assert append_wrapped("2011/", "12", words) == "2011/12"
    marked = append_wrapped("the im-", "provement of well-", None)  # a table cell: settled once the words are known
    assert settle_hyphens(append_wrapped(marked, "being", None), words) == "the improvement of well-being"


# ---------------------------------------------------------------- a figure wrapped onto its unit

def _figures(second_line: str) -> list[list[str]]:
    words = words_at(60, 100, "Indicator", bold=True) + words_at(205, 100, "Actual", bold=True) + words_at(245, 100, "Target", bold=True)
    words += words_at(60, 118, "Average processing time for") + words_at(205, 118, "48.5") + words_at(245, 118, "45")
    words += words_at(60, 130, "new claims") + words_at(205, 130, second_line)
    words += words_at(60, 148, "Claims paid") + words_at(205, 148, "92%") + words_at(245, 148, "95%")
    words += words_at(60, 166, "Visits made") + words_at(205, 166, "330") + words_at(245, 166, "400")
    return [[c.text for c in row] for row in find_unruled(words, page_width=595)[0].rows]


def test_figure_wrapped_onto_its_unit_stays_in_its_row():
    """A narrow figure column wraps "48.5 days" after the figure: the unit under it is the same cell."""
    rows = _figures("days")
    assert rows[1] == ["Average processing time for new claims", "48.5 days", "45"], rows


def test_words_in_capitals_under_a_figure_start_a_row():
    """A figure does not wrap into words: capitalised text under it is the next row's."""
    rows = _figures("To be deleted")
    assert rows[1] == ["Average processing time for", "48.5", "45"], rows


# ---------------------------------------------------------------- lines that open in lower case go on with the row

def _actions(ref: str) -> list[list[str]]:
    """Two records of a ruled-free action table; the first one's action breaks its list and its date wraps."""
    words = words_at(60, 100, "Objective", bold=True) + words_at(200, 100, "Actions", bold=True) + words_at(380, 100, "Due", bold=True)
    words += words_at(60, 118, "Reduce waste") + words_at(200, 118, "Notes: targets set") + words_at(380, 118, "31")
    words += words_at(60, 130, "(as agreed)") + words_at(200, 130, "All actions are in the plan") + words_at(380, 130, "March")
    words += words_at(60, 148, ref) + words_at(200, 148, "Publish the plan") + words_at(380, 148, "2010")
    return [[c.text for c in row] for row in find_unruled(words, page_width=595)[0].rows]


def test_cell_opening_in_lower_case_goes_on_with_its_row():
    """A line one of whose cells opens in lower case under text goes on with the row, though the cell beside it
    starts a paragraph of its own; a day number wraps onto its month.  The next record opens in capitals."""
    rows = _actions("Save energy")
    assert rows[1] == ["Reduce waste (as agreed)", "Notes: targets set\nAll actions are in the plan", "31 March"], rows
    assert rows[2][0] == "Save energy", rows


def test_numbered_rows_whose_actions_open_in_lower_case_stay_apart():
    """Action texts may open in lower case ("availability of ..."), but a new number under the last one is a
    new row: a figure never wraps."""
    words = words_at(60, 100, "Number", bold=True) + words_at(130, 100, "Action", bold=True) + words_at(330, 100, "Deadline", bold=True)
    for i, (ref, action) in enumerate((("3.1", "availability of match funds"), ("3.2", "potential for release"), ("3.3", "into unfitness levels"))):
        words += words_at(60, 118 + 12 * i, ref) + words_at(130, 118 + 12 * i, action) + words_at(330, 118 + 12 * i, "April 2004")
    rows = [[c.text for c in row] for row in find_unruled(words, page_width=595)[0].rows]
    assert [r[0] for r in rows[1:]] == ["3.1", "3.2", "3.3"], rows


# ---------------------------------------------------------------- a hyphen hanging into a narrow gutter

def test_hyphen_hanging_into_the_gutter_does_not_join_the_columns():
    """LaTeX sets its columns about an em apart and hangs a line-end hyphen into the gutter (margin kerning):
    "Econ-" and the right column's first word are then less than the gutter apart, yet two columns' words;
    the same gap after a plain word is a word space of a full-width line."""
    from pipeline.readers.pdf_layout import Line, side_of

    def line(last: str) -> Line:
        return Line([Word("within", 230, 262, 100, 111, 10.9), Word(last, 265, 294.5, 100, 111, 10.9),
                     Word("of", 302.6, 312, 100, 111, 10.9), Word("the", 315, 330, 100, 111, 10.9)])

    assert side_of(line("Econ-"), 298.0)[2] is False
    assert side_of(line("Econ"), 298.0)[2] is True
