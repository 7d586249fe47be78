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


def _plain_head(words: list[Word]) -> list[Word]:
    return [Word(w.text, w.x0, w.x1, w.top, w.bottom, w.size, False) for w in words]


def test_band_above_a_booktabs_header_rule_is_the_header_when_not_bold():
    """LaTeX sets a booktabs header in the body's type: the band between the top rule and the next is the
    header all the same, when the body stays one record's band."""
    body = [(118, "Community", "Community Safety"), (130, "", "Health and Leisure"), (142, "", "Economic Development")]
    ys, xs, words = _booktabs(body)
    table = grid_table(ys, xs, _plain_head(words), split_body=True)
    assert len(table.rows) == 2 and table.header_rows == 1, [[c.text for c in r] for r in table.rows]


def test_bands_between_top_and_foot_rules_only_have_no_header():
    """The same text ruled at top and foot only, no rule under a header: its plain first line is not a header."""
    body = [(118, "Community", "Community Safety"), (130, "", "Health and Leisure"), (142, "", "Economic Development")]
    ys, xs, words = _booktabs(body)
    table = grid_table([ys[0], ys[-1]], xs, _plain_head(words), split_body=True)
    assert table is None or table.header_rows <= 0, [[c.text for c in r] for r in table.rows]


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


# ---------------------------------------------------------------- rows set as close as wrapped lines (LaTeX's tabular)

def _indicator_words(rows: list[tuple[str, ...]], row_space: float = 0.0) -> tuple[list, float]:
    """The words of a table of indicators whose labels wrap, and the y under its last line; every line 12 pt
    under the last (rows no further apart than wrapped lines) unless ``row_space`` sets rows apart.
    A row is (label line, [value, target], more lines)."""
    words = words_at(60, 100, "Indicator", bold=True) + words_at(205, 100, "Actual", bold=True) + words_at(260, 100, "Target", bold=True)
    y = 118.0
    for label, *rest in rows:
        words += words_at(60, y, label)
        figures = [r for r in rest if r[:1].isdigit()]
        for x, figure in zip((205, 260), figures):
            words += words_at(x, y, figure)
        for more in rest[len(figures):]:
            y += 12
            words += words_at(60, y, more)
        y += 12 + row_space
    return words, y


def _unspaced(rows: list[tuple[str, ...]], row_space: float = 0.0) -> list[list[str]]:
    """``_indicator_words`` as a rule-free table."""
    words, _ = _indicator_words(rows, row_space)
    return [[c.text for c in row] for row in find_unruled(words, page_width=595)[0].rows]


# first lines fill the label column (26 characters), so the next word would not have fitted on them
_SENTENCE_CASE = [("Calls answered by a person", "68%", "60%", "within two minutes"),
                  ("Claims processed correctly", "92%", "95%", "in ten working days"),
                  ("Complaints handled quickly", "80%", "85%", "within the agreed period"),
                  ("Satisfaction survey results",),
                  ("Visits made on time by our", "330", "400", "inspection team")]


def test_capital_line_in_a_sentence_case_column_of_unspaced_rows_starts_a_row():
    """Rows as close as wrapped lines: a line alone in a column whose wrapped lines open in lower case, opening
    with a capital, is a new row (of one cell), though its first word would not have fitted on the line above."""
    rows = _unspaced(_SENTENCE_CASE)
    assert [r[0] for r in rows[1:]] == ["Calls answered by a person within two minutes", "Claims processed correctly in ten working days",
                                       "Complaints handled quickly within the agreed period", "Satisfaction survey results",
                                       "Visits made on time by our inspection team"], rows


def test_title_case_labels_wrapped_with_capitals_stay_one_label():
    """Title-case labels open their wrapped lines with capitals: there a capital line is not a new row."""
    rows = _unspaced([("Adult Social Care Services", "68%", "60%", "Housing Options"),
                      ("Chief Executive's Office &", "92%", "95%", "Economic Development"),
                      ("Corporate Property Service", "80%", "85%", "Building Maintenance"),
                      ("Revenues Benefits Customer", "330", "400", "Contact Centre")])
    assert [r[0] for r in rows[1:]] == ["Adult Social Care Services Housing Options", "Chief Executive's Office & Economic Development",
                                       "Corporate Property Service Building Maintenance", "Revenues Benefits Customer Contact Centre"], rows


def test_capital_wrapped_line_of_spaced_rows_stays_in_its_row():
    """With rows set apart, spacing tells rows from wrapped lines: a wrapped line opening with a proper noun
    stays in its row."""
    rows = _unspaced(_SENTENCE_CASE[:2] + [("Visits made on time by the", "330", "400", "Kent County Council team")]
                     + _SENTENCE_CASE[2:3] + _SENTENCE_CASE[4:], row_space=6)
    assert rows[3][0] == "Visits made on time by the Kent County Council team", rows


def test_capital_line_after_a_line_that_runs_on_stays_in_its_row():
    """In the same sentence-case table a label may wrap before a name ("visitors to" / "Hastings Museum"): a line
    ending on a function word or a capitalised word runs on, whatever case the next line opens in."""
    rows = _unspaced(_SENTENCE_CASE[:3] * 3 + [("Visitors to the museums of", "330", "400", "Hastings and Rye"),
                                               ("Calls answered by Customer", "68%", "60%", "Contact Centre staff")] + _SENTENCE_CASE[3:])
    assert [r[0] for r in rows[10:12]] == ["Visitors to the museums of Hastings and Rye", "Calls answered by Customer Contact Centre staff"], rows
    assert "Satisfaction survey results" in [r[0] for r in rows], rows


# ---------------------------------------------------------------- a row cut by a page break, its first cell filled on both pages

def _cells(*texts: str):
    from pipeline.document import Cell

    return [Cell(t, 0, len(t), 1) for t in texts]


def test_row_cut_mid_list_is_joined_though_its_first_cell_goes_on_too():
    """A tall row breaks over the page: its list cells go on with their next item ("5.") or mid-sentence in
    lower case, its lead and date cells are done.  One row, the cut sentence joined on its line."""
    from pipeline.readers.pdf import broken_row, join_rows

    last = _cells("Aims:\n1. Include\n2. Comply\n3. Procure\n4. Inform staff", "Senior team",
                  "1. Introduce a system\n2. Reduce paper\n3. Conserve energy, water and", "31 March 2009")
    first = _cells("5. Promote good practice\n6. Build well", "", "other natural resources.\n4. Travel less", "")
    assert broken_row(last, first)
    assert join_rows(last, first)[2].text.endswith("3. Conserve energy, water and other natural resources.\n4. Travel less")
    assert broken_row(last[:2] + _cells("1. Introduce a system", "2009"), _cells("", "", "other resources", ""))


def test_next_rows_at_a_page_head_stay_apart():
    """The next record at the head of the page opens with its own label and a capital, or a figure such as
    "n/a" under a cell that ended its sentence; its list starts again at 1."""
    from pipeline.readers.pdf import broken_row

    last = _cells("Reduce waste", "1. Recycle more\n2. Compost.", "Achieved.")
    assert not broken_row(last, _cells("Save energy", "1. Insulate\n2. Switch off", "On track"))
    assert not broken_row(last, _cells("Save energy", "Insulate the depot", "n/a"))


def _booktabs_unspaced(rows: list[tuple[str, ...]]) -> list[list[str]]:
    """``_unspaced``'s rows under a booktabs header rule (rules at top, under the header and at the foot)."""
    words, y = _indicator_words(rows)
    table = grid_table([97.0, 114.0, y + 2], [58.0, 200.0, 255.0, 300.0], words, split_body=True)
    return [[c.text for c in row] for row in table.rows]


def test_capital_row_under_a_booktabs_header_is_a_record():
    """The booktabs body is cut into records though one of them fills its first cell only: it opens with a capital
    in the sentence-case first column, so it is a row of its own, not a line of a cell's list."""
    rows = _booktabs_unspaced([("Calls answered by a person", "68%", "60%", "within two minutes", "of the first ring"),
                               ("Claims processed correctly", "92%", "95%", "in ten working days", "of the claim"),
                               ("Satisfaction survey results",),
                               ("Complaints handled quickly", "80%", "85%", "within the agreed period", "by the team"),
                               ("Annual review by members",),
                               ("Visits made on time by our", "330", "400", "inspection team", "in the year"),
                               ("Reports to the scrutiny panel",)])
    assert [" ".join(r[0].split()) for r in rows[1:]][2:] == ["Satisfaction survey results", "Complaints handled quickly within the agreed period by the team",
                                           "Annual review by members", "Visits made on time by our inspection team in the year",
                                           "Reports to the scrutiny panel"], rows


def test_line_alone_in_a_later_column_stays_in_its_row():
    """A capital line alone in the second column is that cell's wrapped text, sentence case or not."""
    words = words_at(60, 100, "Ref", bold=True) + words_at(100, 100, "Action", bold=True) + words_at(260, 100, "Due", bold=True)
    lines = [("1.1", "Publish the plan for the", "2024", "consultation of residents"), ("1.2", "Publicity in the media of", "2024", "the new plan"),
             ("1.3", "Update the maps for the", "2025", "parish councils"), ("1.4", "Publicity in the local news", "2025", "Housing Renewal Strategy")]
    y = 118.0
    for ref, action, due, more in lines:
        words += words_at(60, y, ref) + words_at(100, y, action) + words_at(260, y, due) + words_at(100, y + 12, more)
        y += 24
    rows = [[c.text for c in row] for row in find_unruled(words, page_width=595)[0].rows]
    assert rows[-1] == ["1.4", "Publicity in the local news Housing Renewal Strategy", "2025"], rows


def test_record_at_a_page_head_with_one_cell_in_lower_case_stays_apart():
    """A new record may hold a cell opening in lower case ("availability of ..."): its reference goes on with
    nothing above it, so it is a row of its own."""
    from pipeline.readers.pdf import broken_row

    last = _cells("3.1", "Research the need for", "April 2004")
    assert not broken_row(last, _cells("3.2", "availability of match funds", "April 2004"))


def _two_cells(lines: list[tuple[str, str]]) -> list[list[str]]:
    """A rule-free two-column table, every line 12 pt under the last (rows as close as wrapped lines)."""
    words = words_at(60, 100, "Objective", bold=True) + words_at(250, 100, "Progress", bold=True)
    for k, (left, right) in enumerate(lines):
        words += (words_at(60, 118 + 12 * k, left) if left else []) + (words_at(250, 118 + 12 * k, right) if right else [])
    return [[" ".join(c.text.split()) for c in row] for row in find_unruled(words, page_width=595)[0].rows]


def test_numbered_objective_beside_a_fresh_progress_note_starts_a_row():
    """Rows as close as wrapped lines: a line whose first cell opens the next number and whose second opens with a
    capital under a line that did not run on is a new record, though both words would not have fitted above."""
    rows = _two_cells([("1. Publish the plan and", "Done. Plan published in"), ("consult on it widely", "July for consultation."),
                       ("2. Improve the services", "Good progress is made on"), ("for children and young", "the plan for children."),
                       ("people", ""), ("3. Review the footprint", "Energy base line set and"), ("of the directorate", "targets are agreed.")])
    assert [r[0][:2] for r in rows[1:]] == ["1.", "2.", "3."], rows


def test_list_in_a_cell_beside_a_wrapping_paragraph_stays_one_row():
    """A cell's numbered list beside a paragraph whose lines go on in lower case or after a line that runs on
    ("and" / "Kent County Council"): one record."""
    rows = _two_cells([("Aims of the plan:", "The plan was agreed by"), ("1. Publish the plan", "the Cabinet in July and"),
                       ("2. Consult on it", "Kent County Council will"), ("3. Report progress", "report in the autumn –"),
                       ("4. Review it", "Housing and Parking first."), ("Reduce waste", "Recycling is up by 5%.")])
    assert len(rows) == 3 and rows[1][0].startswith("Aims") and "4. Review" in rows[1][0], rows


def test_tick_under_a_tick_or_words_starts_a_row():
    """A grid of ticks set without row spacing: a tick never wraps, so the line under a tick, or a tick under a
    cell's words ("✓ Street" / "Cleaning"), is a new row; a service name wrapped beside no tick stays one cell."""
    rows = _two_ticks([("Community Planning &", "✓"), ("Safety", ""), ("Health & Leisure", "✓"), ("Direct Services", "✓ Street"),
                       ("", "Cleaning"), ("Environmental Health", "✓"), ("Licensing", "✓")])
    assert [r[0] for r in rows[1:]] == ["Community Planning & Safety", "Health & Leisure", "Direct Services", "Environmental Health",
                                       "Licensing"], rows


def _two_ticks(lines: list[tuple[str, str]]) -> list[list[str]]:
    words = words_at(60, 100, "Service", bold=True) + words_at(200, 100, "Environment", bold=True)
    for k, (left, right) in enumerate(lines):
        words += (words_at(60, 118 + 12 * k, left) if left else []) + (words_at(200, 118 + 12 * k, right) if right else [])
    return [[" ".join(c.text.split()) for c in row] for row in find_unruled(words, page_width=595)[0].rows]


def _sales(above: list[Word]) -> list:
    words = list(above)
    for k, (label, figure) in enumerate((("Accommodation bookings", "£315,000"), ("Transport bookings", "£25,000"),
                                         ("Mail order sales", "£8,000"))):
        words += words_at(60, 130 + 12 * k, label) + words_at(250, 130 + 12 * k, figure)
    return find_unruled(words, page_width=595)


def test_head_over_the_last_column_wider_than_its_figures_is_header():
    """A head set from the figure column's left edge runs past its short figures: still the column's header."""
    tables = _sales(words_at(250, 100, "Targets for the year set on") + words_at(250, 112, "last year's actual sales"))
    assert tables and tables[0].header_rows >= 1 and "Targets" in tables[0].rows[0][1].text, tables


def test_paragraph_across_both_columns_above_is_not_header():
    """A line from the label column's edge running across the gap is the paragraph before the table."""
    tables = _sales(words_at(60, 112, "The targets for the year were set on last year's actual sales figures"))
    assert tables and all("targets" not in c.text for r in tables[0].rows for c in r), tables


def test_rows_set_apart_with_cells_wrapping_side_by_side_are_spaced():
    """Most two-cell lines of a table whose cells wrap side by side are a row's second lines, as close as wrapped
    lines; its rows are set apart all the same (every row gap wider), so it is not read as LaTeX's unspaced rows."""
    from pipeline.readers.pdf_unruled import rows_unspaced

    def table(row_gap: float) -> list:
        words, y = [], 118.0
        for _ in range(4):
            words += words_at(60, y, "Human – staff of the") + words_at(250, y, "• Launch by May 2024")
            words += words_at(60, y + 12, "Community Team") + words_at(250, y + 12, "• Support all residents")
            words += words_at(60, y + 24, "and volunteers") + words_at(250, y + 24, "of the district")
            y += 36 + row_gap
        return group_lines(words)

    columns = [(60.0, 200.0), (250.0, 400.0)]
    assert not rows_unspaced(table(6), columns, 2.0, SIZE)
    assert rows_unspaced(table(0), columns, 2.0, SIZE)
