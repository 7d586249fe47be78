"""The table's kept header and remembered label words answer exactly as the plain ways they stand in for."""
import pytest

from pipeline.document import Cell, Table


def _header_the_slow_way(table):
    if not table.header_rows or not table.rows:
        return []
    width = max(len(r) for r in table.rows)
    labels = [""] * width
    for row in table.rows[: table.header_rows]:
        for i, cell in enumerate(row):
            labels[i] = (labels[i] + " " + cell.clean).strip()
    return labels


def test_kept_header_follows_every_change_to_what_it_is_made_of():
    def cell(text):
        return Cell(text, 0, len(text))

    table = Table(rows=[[cell("Service"), cell("2023/24")], [cell(""), cell("£000")], [cell("Parks"), cell("12")]],
                  header_rows=1)
    steps = [
        lambda: None,
        lambda: setattr(table, "header_rows", 2),
        lambda: table.rows[2].append(cell("x")),  # a wider body row widens the header
        lambda: setattr(table.rows[1][1], "text", "£m"),  # a header cell's text changed in place
        lambda: table.rows[0].__setitem__(0, cell("Area")),  # a header cell replaced
        lambda: table.rows.insert(0, [cell("Title")]),
        lambda: setattr(table, "header_rows", -1),  # before the reader decides: all rows but the last
        lambda: setattr(table, "header_rows", 0),
        lambda: setattr(table, "header_rows", 1),
        lambda: table.rows.clear(),
    ]
    for step in steps:
        step()
        first = table.header
        assert first == _header_the_slow_way(table)
        first.append("changed by a caller")  # a caller's list is its own
        assert table.header == _header_the_slow_way(table)


@pytest.mark.parametrize("label", ["Comments", "Link to Corporate Plan", "Budget £000", "RISK", "sub-total", "", "Thematic"])
@pytest.mark.parametrize("words", [("comment", "description"), ("theme",), ("link to", "theme"), ("£", "budget"), ("risk",)])
def test_remembered_label_words_match_as_the_patterns_do(label, words):
    import re

    from pipeline.document import _names_any

    assert _names_any(label, words) == any(re.search(rf"\b{w}", label.lower()) for w in words)
