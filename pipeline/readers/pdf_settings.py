"""The PDF reader's layout tolerances, named in one place (the way pdfplumber's ``TableSettings`` names its own).

Every distance is in PDF points or, where it scales with the type, in ems
(multiples of the font size), since a 9 pt table and a 12 pt report need the
same rules at different sizes.  ``LAYOUT`` is the instance the reader uses;
the values are the ones measured on the corpus and the producer renditions
(``bench/renditions_score.py``).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LayoutSettings:
    # ---- words and lines
    line_overlap: float = 0.45  # words share a line when their middles differ by less than this share of the shorter height
    column_gap_em: float = 2.2  # a gap this wide inside a line separates columns or cells, not words ...
    column_gap_min: float = 14.0  # ... and never less than this many points
    # pdfplumber's word split: a gap wider than this share of the glyph size starts a new word.  Its default
    # (3 pt) splits LaTeX's kerned words and words set in large type; a share of the size does neither
    justified_min_gaps: int = 3  # a line with this many word gaps or more, all wide and ...
    justified_gap_spread: float = 1.0  # ... within this many points of each other, is justified prose, not cells
    word_x_tolerance: float = 3.0
    word_x_tolerance_ratio: float = 0.15
    broken_word_edge: float = 0.6  # a cell line ending within this many ems of the cell's edge may have broken a word

    # ---- page furniture
    margin: float = 0.08  # running headers and footers live in this share of the page at top and bottom
    margin_slack: float = 12.0  # points past the margin a running line may reach

    # ---- prose columns (two-column stretches)
    gutter_lo: float = 0.3  # a gutter is searched between these shares of the page width
    gutter_hi: float = 0.7
    gutter_step: float = 2.0  # points between the x positions tried
    gutter_min_lines: int = 6  # fewer lines than this are never split into columns
    gutter_both_sides: int = 3  # lines with text on both sides of the gutter needed to accept it
    gutter_one_side: int = 4  # segments needed on each side
    gutter_gap_em: float = 0.8  # columns set apart by more than this (a word space is less; LaTeX's and reportlab's gutters about 1 em)
    hyphen_hang_em: float = 0.3  # a line-end hyphen may hang this far into the gutter (margin kerning)
    gutter_across_share: float = 4.0  # a gutter may have lines running across it among its two-column lines: one per this many
    column_foot_gap_em: float = 1.5  # a left-hand line this far under the line above, below the right column, is under the columns
    gutter_side_em: float = 8.0  # segments this many ems wide on average each side: prose, not figures or page numbers

    # ---- paragraphs and headings
    paragraph_gap_em: float = 0.7  # a vertical gap wider than this between lines ends a paragraph
    style_size_share: float = 0.12  # sizes within this share of each other are one style
    heading_size_ratio: float = 1.15  # set this much larger than body text: a heading
    heading_max_words: int = 14
    bullet_mark_min: float = 1.2  # a drawn bullet is a small square-ish shape between these sizes (pt)
    bullet_mark_max: float = 8.0

    # ---- tables without vertical rules (pdf_unruled)
    unruled_gap_em: float = 0.75  # the narrowest whitespace between two columns of a rule-free table
    unruled_min_rows: int = 2  # lines with two or more cells needed to call a stretch a table
    unruled_min_columns: int = 2
    unruled_row_gap_em: float = 1.25  # a vertical gap wider than this (after the first rows) ends the table
    unruled_size_step: float = 0.75  # a line whose size differs by this much from the table's is not in it (pt)
    wrap_gap_share: float = 0.1  # the wrapped-line gap of a table is the tightest gap found between this share of its lines
    row_space_em: float = 0.12  # lines further apart than a table's wrapped lines by this much are new rows or paragraphs
    tight_rows_share: float = 0.67  # rows set no further apart than wrapped lines at this share of row starts: unspaced rows ...
    sentence_case_min: int = 3  # ... and a column whose lines alone under a cell open in lower case this many times ...
    sentence_case_ratio: float = 2.0  # ... and this many times as often as with a capital: a capital there starts a row
    unruled_prose_words: float = 6.0  # two "columns" whose lines average this many words each are prose, not a table
    unruled_prose_side_words: float = 4.0  # ... or, either side of the page's prose gutter, this many
    aligned_min_rows: int = 2  # long text either side of a gap is a table when this many paragraphs start side by side ...
    aligned_share: float = 0.75  # ... and they are this share of the paragraphs on the side with fewer
    header_max_lines: int = 6  # a rule-free table's header runs at most this many lines above its first full row
    unruled_numeric_share: float = 0.6  # a figure column: at least this share of its body cells parse as numbers
    rule_row_span: float = 0.9  # a horizontal rule under the header spans this share of the table's width
    booktabs_max_rules: int = 3  # a rule stack with this many rules or fewer is top/header/foot only: split its body by text

    # ---- pdfplumber's table finder on ruling lines found in a scan
    snap_tolerance: float = 4.0
    join_tolerance: float = 6.0
    intersection_tolerance: float = 6.0

    # ---- stitching a table continued on the next page
    stitch_column_slack: float = 6.0  # column edges within this many points line up
    stitch_header_similarity: float = 85.0  # rapidfuzz ratio at which a repeated header row is dropped


LAYOUT = LayoutSettings()
