"""Three producers typeset an outline the way council PDFs are really made.

* ``libreoffice``: a .docx written with python-docx (Word's own list styles,
  justified body text, table rows allowed to break across pages, the header row
  repeated), converted by ``soffice --headless --convert-to pdf``.  Liberation Serif.
* ``reportlab``: platypus flowables in DejaVu Serif, two-column stretches as
  balanced columns inside the page's one frame.
* ``latex``: HTML read by pandoc, typeset by pdflatex in Latin Modern (ligatures,
  kerning, curly quotes); tables are pandoc's booktabs longtables.

Each takes a table style: ``ruled`` (every cell boxed), ``headrule`` (rules
above and below the header and at the table's foot only, booktabs style) or
``rulefree`` (no rules at all, whitespace only).  Stretches of prose chosen by
``outline.prose_runs`` are set in two columns.
"""
from __future__ import annotations

import html
import shutil
import subprocess
import tempfile
from pathlib import Path

from outline import Item, prose_runs

STYLES = ("ruled", "headrule", "rulefree")


def _in_runs(items: list[Item], two_columns: bool) -> list[tuple[bool, list[Item]]]:
    """The outline cut into (two-column?, items) sections."""
    runs = prose_runs(items) if two_columns else []
    out: list[tuple[bool, list[Item]]] = []
    i = 0
    for lo, hi in runs:
        if lo > i:
            out.append((False, items[i:lo]))
        out.append((True, items[lo:hi]))
        i = hi
    if i < len(items):
        out.append((False, items[i:]))
    return out


def _widths(rows: list[list[str]], total: float) -> list[float]:
    """Column widths from the longest line in each column (a label column wide, figure columns narrow)."""
    width = max(len(r) for r in rows)
    need = []
    for c in range(width):
        longest = max((len(line) for r in rows for line in (r[c].split("\n") if c < len(r) else [""])), default=1)
        need.append(min(max(longest, 6), 45))
    scale = total / sum(need)
    return [n * scale for n in need]


# ---------------------------------------------------------------- LibreOffice (via .docx)

def libreoffice(items: list[Item], style: str, out: Path, two_columns: bool = True) -> None:
    import docx
    from docx.enum.section import WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Liberation Serif", Pt(11)
    for name, size in (("Heading 1", 15), ("Heading 2", 13), ("Heading 3", 11.5)):
        st = document.styles[name]
        st.font.name, st.font.size, st.font.bold = "Liberation Serif", Pt(size), True
        st.font.color.rgb = None
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.2))

    def set_columns(sec, n: int) -> None:
        cols = sec._sectPr.find(qn("w:cols"))
        if cols is None:
            cols = OxmlElement("w:cols")
            sec._sectPr.append(cols)
        cols.set(qn("w:num"), str(n))
        cols.set(qn("w:space"), "567")

    def borders(cell, **sides: bool) -> None:
        tc_pr = cell._tc.get_or_add_tcPr()
        box = OxmlElement("w:tcBorders")
        for side in ("top", "left", "bottom", "right"):
            el = OxmlElement(f"w:{side}")
            el.set(qn("w:val"), "single" if sides.get(side) else "nil")
            el.set(qn("w:sz"), "6")
            el.set(qn("w:color"), "000000")
            box.append(el)
        tc_pr.append(box)

    def add_table(item: Item) -> None:
        rows = item.rows
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = document.styles["Table Grid"] if style == "ruled" else None
        table.autofit = False
        widths = _widths(rows, 16.6)
        for r, row in enumerate(rows):
            tr = table.rows[r]
            if r < item.header_rows:  # Word's "repeat as header row"
                tr_pr = tr._tr.get_or_add_trPr()
                el = OxmlElement("w:tblHeader")
                tr_pr.append(el)
            for c, text in enumerate(row):
                cell = tr.cells[c]
                cell.width = Cm(widths[c])
                lines = text.split("\n") if text else [""]
                cell.paragraphs[0].text = lines[0]
                for line in lines[1:]:
                    cell.add_paragraph(line)
                for p in cell.paragraphs:
                    p.paragraph_format.space_after = Pt(2)
                    if r < item.header_rows:
                        for run in p.runs:
                            run.bold = True
                if style == "headrule":
                    borders(cell, top=r == 0, bottom=r == item.header_rows - 1 or r == len(rows) - 1)
                elif style == "rulefree":
                    borders(cell)
        document.add_paragraph()

    def add(item: Item) -> None:
        if item.kind == "heading":
            document.add_heading(item.text, level=item.level)
        elif item.kind == "paragraph":
            p = document.add_paragraph(item.text)
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        elif item.kind == "bullet":
            document.add_paragraph(item.text, style="List Bullet")
        elif item.kind == "numbered":
            p = document.add_paragraph(f"{item.number}\t{item.text}")
            p.paragraph_format.left_indent, p.paragraph_format.first_line_indent = Cm(1), Cm(-1)
        elif item.kind == "table":
            add_table(item)

    first = True
    for two, part in _in_runs(items, two_columns):
        if not first:
            sec = document.add_section(WD_SECTION.CONTINUOUS)
            set_columns(sec, 2 if two else 1)
        first = False
        for item in part:
            add(item)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / (out.stem + ".docx")
        document.save(src)
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to", "pdf",
                        "--outdir", tmp, str(src)], check=True, capture_output=True, timeout=300)
        shutil.copy(Path(tmp) / (out.stem + ".pdf"), out)


# ---------------------------------------------------------------- reportlab

def reportlab(items: list[Item], style: str, out: Path, two_columns: bool = True) -> None:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
    from reportlab.platypus.flowables import BalancedColumns

    for name, file in (("Serif", "DejaVuSerif.ttf"), ("Serif-Bold", "DejaVuSerif-Bold.ttf")):
        pdfmetrics.registerFont(TTFont(name, f"/usr/share/fonts/truetype/dejavu/{file}"))
    body = ParagraphStyle("body", fontName="Serif", fontSize=10, leading=13, alignment=TA_JUSTIFY, spaceAfter=5)
    cell = ParagraphStyle("cell", fontName="Serif", fontSize=9, leading=11)
    head = ParagraphStyle("head", parent=cell, fontName="Serif-Bold")
    headings = {lvl: ParagraphStyle(f"h{lvl}", fontName="Serif-Bold", fontSize=size, leading=size * 1.3, spaceBefore=8, spaceAfter=5)
                for lvl, size in ((1, 15), (2, 12.5), (3, 11))}

    def para(text: str, st: ParagraphStyle) -> Paragraph:
        return Paragraph(html.escape(text).replace("\n", "<br/>"), st)

    def table(item: Item) -> Table:
        rows = [[para(text, head if r < item.header_rows else cell) for text in row] for r, row in enumerate(item.rows)]
        widths = [w * cm for w in _widths(item.rows, 17.0)]
        t = Table(rows, colWidths=widths, repeatRows=item.header_rows, splitByRow=True, hAlign="LEFT")
        commands = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 6)]
        if style == "ruled":
            commands.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
        elif style == "headrule":
            commands += [("LINEABOVE", (0, 0), (-1, 0), 0.8, colors.black), ("LINEBELOW", (0, -1), (-1, -1), 0.8, colors.black)]
            if item.header_rows:
                commands.append(("LINEBELOW", (0, item.header_rows - 1), (-1, item.header_rows - 1), 0.5, colors.black))
        t.setStyle(TableStyle(commands))
        return t

    def flow(item: Item) -> list:
        if item.kind == "heading":
            return [para(item.text, headings[item.level])]
        if item.kind == "paragraph":
            return [para(item.text, body)]
        if item.kind in ("bullet", "numbered"):
            kind = dict(bulletType="bullet", start="•") if item.kind == "bullet" else dict(bulletType="1", start=item.number.rstrip(".)"))
            return [ListFlowable([ListItem(para(item.text, body))], leftIndent=16, bulletFontName="Serif", bulletFontSize=9, **kind)]
        return [table(item), Spacer(1, 8)]

    story = []
    for two, part in _in_runs(items, two_columns):
        flows = [f for item in part for f in flow(item)]
        story += [BalancedColumns(flows, nCols=2, spaceBefore=4, spaceAfter=4, innerPadding=10)] if two else flows
    SimpleDocTemplate(str(out), pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2 * cm, bottomMargin=2 * cm,
                      title=out.stem).build(story)


# ---------------------------------------------------------------- pandoc + LaTeX

_LUA = r"""
function Div(el)
  if el.classes:includes('twocol') then
    table.insert(el.content, 1, pandoc.RawBlock('latex', '\\begin{multicols}{2}'))
    table.insert(el.content, pandoc.RawBlock('latex', '\\end{multicols}'))
    return el
  end
end
"""
_PREAMBLE = r"""
\usepackage{multicol}
\usepackage{amssymb}
\setlength{\emergencystretch}{3em}
"""
# what pdflatex gets for characters its fonts lack; any other one outside Latin-1 becomes "?"
_FALLBACK = {"•": r"\textbullet", "✓": r"\checkmark", "✔": r"\checkmark", "¯": r"\textasciimacron", "≥": r"\ensuremath{\geq}",
             "≤": r"\ensuremath{\leq}", "−": "-", "▲": r"\ensuremath{\blacktriangle}", "▼": r"\ensuremath{\blacktriangledown}",
             "►": r"\ensuremath{\blacktriangleright}"}
_NATIVE = set("’‘“”–—…€")


def _declarations(text: str) -> str:
    odd = sorted({c for c in text if (ord(c) > 0xFF or c in _FALLBACK) and c not in _NATIVE})
    return "".join(f"\\DeclareUnicodeCharacter{{{ord(c):04X}}}{{{_FALLBACK.get(c, '?')}}}\n" for c in odd)


_RULEFREE = r"""
\AtBeginDocument{\def\toprule{}\def\midrule{}\def\bottomrule{}}
"""


def latex(items: list[Item], style: str, out: Path, two_columns: bool = True) -> None:
    """pandoc reads HTML (easy to escape) and writes booktabs longtables; ``rulefree`` turns the rules off."""
    if style == "ruled":
        raise ValueError("the LaTeX producer makes booktabs (headrule) and rule-free tables only")
    body = []
    for two, part in _in_runs(items, two_columns):
        chunk = "\n".join(_html(item) for item in part)
        body.append(f'<div class="twocol">\n{chunk}\n</div>' if two else chunk)
    with tempfile.TemporaryDirectory() as tmp:
        src, lua, pre = Path(tmp) / "in.html", Path(tmp) / "cols.lua", Path(tmp) / "pre.tex"
        src.write_text("<html><body>\n" + "\n".join(body) + "\n</body></html>", encoding="utf-8")
        lua.write_text(_LUA)
        text = "".join(item.text + "".join(c for row in item.rows for c in row) for item in items)
        pre.write_text(_PREAMBLE + _declarations(text) + (_RULEFREE if style == "rulefree" else ""), encoding="utf-8")
        subprocess.run(["pandoc", str(src), "-f", "html", "-o", str(out), "--pdf-engine=pdflatex", f"--lua-filter={lua}",
                        f"--include-in-header={pre}", "-V", "geometry:a4paper,margin=2.2cm", "-V", "fontsize=11pt",
                        "-V", "documentclass=article"], check=True, capture_output=True, timeout=300, cwd=tmp)


def _html(item: Item) -> str:
    esc = html.escape
    if item.kind == "heading":
        return f"<h{item.level}>{esc(item.text)}</h{item.level}>"
    if item.kind == "paragraph":
        return f"<p>{esc(item.text)}</p>"
    if item.kind == "bullet":
        return f"<ul><li>{esc(item.text)}</li></ul>"
    if item.kind == "numbered":
        return f'<ol start="{item.number.rstrip(".)")}"><li>{esc(item.text)}</li></ol>'
    widths = _widths(item.rows, 100.0)
    cols = "".join(f'<col style="width: {w:.0f}%">' for w in widths)
    rows = []
    for r, row in enumerate(item.rows):
        tag = "th" if r < item.header_rows else "td"
        rows.append("<tr>" + "".join(f"<{tag}>{esc(t).replace(chr(10), '<br>')}</{tag}>" for t in row) + "</tr>")
    head = "".join(rows[: item.header_rows])
    return f"<table><colgroup>{cols}</colgroup><thead>{head}</thead><tbody>{''.join(rows[item.header_rows:])}</tbody></table>"


PRODUCERS = {"libreoffice": libreoffice, "reportlab": reportlab, "latex": latex}


def row_across_pages(out: Path) -> None:
    """A Word-style ruled table whose one long row breaks across a page (Word and LibreOffice allow it by default),
    with its header row repeated on the next page."""
    lead = [Item("heading", "Service budgets 2019/20", level=1)]
    lead += [Item("paragraph", "This page is filled with text so that the table below reaches the foot of the page. " * 6)] * 5
    rows = [["Service", "Commentary", "Budget £000"]]
    rows += [[f"Service {n}", f"Commentary on service {n}.", f"{100 + n}"] for n in range(1, 9)]
    long_cell = "\n".join(f"Action {k}: deliver the agreed improvement and report progress to the committee." for k in range(1, 19))
    rows += [["Customer Services", long_cell, "1,234"], ["Revenues and Benefits", "Steady state.", "567"]]
    libreoffice(lead + [Item("table", rows=rows, header_rows=1)], "ruled", out, two_columns=False)
