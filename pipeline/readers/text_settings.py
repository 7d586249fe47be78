"""The text reader's tuning knobs in one place (cf. pdfplumber's ``TableSettings``).

Each number here decides when flattened text is read as a table; naming them
keeps the reader's grammar free of bare numbers and lets a user try other
values (``dataclasses.replace(TEXT_SETTINGS, ...)``).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TextSettings:
    # one-cell-per-line streams (pipeline/readers/streams.py)
    stream_cell_max_chars: int = 110  # a longer line is prose, not a cell
    stream_cell_max_words: int = 14
    stream_long_cell_max_chars: int = 300  # a longer phrase is a cell only if it is not a finished sentence
    stream_header_max_words: int = 6  # a longer cell before the first row is a caption, not a column label
    stream_header_word_share: float = 0.6  # share of column words (years, Budget, Net...) that makes a cell a column label
    stream_min_rows: int = 2  # rows with figures needed before a stream counts as a table
    # rows of a label and figures separated by spaces (pipeline/readers/rows.py)
    figure_rows_min: int = 2  # consecutive figure rows needed
    figure_header_max_lines: int = 4  # header lines above the first row (years, column words, units)
    figure_header_lookback: int = 8  # short lines above the rows searched for one-label-per-line headers
    figure_rows_max_sections: int = 3  # consecutive lines without figures (section headings) inside a table
    glued_max_figures: int = 8  # most figures split out of one run of glued digits
    figure_rows_kept: int = 1 << 15  # lines whose reading as a figure row is remembered (emptied when full)
    # double-spaced text (pipeline/readers/text.py)
    double_spaced_min_lines: int = 10  # written lines needed before the spacing can be judged
    double_spaced_max_adjacent: float = 0.05  # share of written lines straight after another one, at most
    # tab-separated rows (pipeline/readers/text.py)
    tsv_wrap_max_lines: int = 6  # lines without tabs between two tab rows that continue the row above
    tsv_tail_wrap_max_lines: int = 2  # …and after the last tab row, before a blank line
    # tables laid out with spaces, columns kept by position (pipeline/readers/aligned.py)
    aligned_min_gutter: int = 2  # spaces between two columns (pdftotext -layout leaves at least two)
    aligned_min_rows: int = 3  # consecutive lines that keep the same gutters
    aligned_min_column_cells: int = 2  # a column needs text on this many lines, or its gutter was one ragged line's gap
    aligned_header_max_chars: int = 40  # a table of wrapped cells opens with column labels no longer than this
    # run-on lines (pipeline/readers/runon.py)
    runon_min_chars: int = 400  # a line this long with numbered rows inside is a flattened table
    runon_min_rows: int = 3
    runon_header_max_words: int = 40  # a header run together before the first row is short…
    runon_header_word_share: float = 0.6  # …and mostly column words (Name, Actual, Status, Target, years)


TEXT_SETTINGS = TextSettings()
