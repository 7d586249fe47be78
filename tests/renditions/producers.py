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
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
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


@dataclass
class Fit:
    """How a table is set so that no word in it breaks: type size (pt), landscape page or not, column widths (pt)."""

    size: float
    landscape: bool
    widths: list[float]


_FONTS = {"serif": "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
          "serif-bold": "/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf",
          "dejavu": "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
          "dejavu-bold": "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"}


def _text_width(text: str, font: str, size: float) -> float:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    name = f"fit-{font}"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, _FONTS[font]))
    return pdfmetrics.stringWidth(text, name, size)


def fit_table(rows: list[list[str]], header_rows: int, frames: tuple[float, float], size: float, pad: float,
              font: str = "serif", stretch: float = 1.0, smallest: float = 7.0) -> Fit:
    """Type size, orientation and column widths for a table, the way a Word user fits a wide one: the columns are
    at least as wide as their longest word (a figure is never broken over two lines); a table that does not fit
    the portrait frame at its size is set in slightly smaller type, then on a landscape page, then smaller still.

    ``frames``: the text width of a portrait and a landscape page (pt); ``pad``: a cell's left plus right padding;
    ``stretch``: how much wider than the measured font the producer's own font sets (Latin Modern vs Times).
    """
    width = max(len(r) for r in rows)
    tries = [(frames[0], False, s) for s in (size, size * 0.9, size * 0.8)]
    tries += [(frames[1], True, s) for s in (size, size * 0.9, size * 0.8)]
    tries += [(frames[1], True, s) for s in (smallest + 1, smallest)]
    for frame, landscape, s in tries:
        least = [pad] * width
        for r, row in enumerate(rows):
            bold = font + "-bold" if r < header_rows else font
            for c, text in enumerate(row):
                for word in text.split():
                    least[c] = max(least[c], _text_width(word, bold, s) * stretch + pad + s)  # an em to spare
        if sum(least) <= frame or (landscape and s == smallest):
            break
    wanted = [max(a, w) for a, w in zip(least, _widths(rows, frame))]
    spare = frame - sum(least)
    if spare <= 0:
        return Fit(s, landscape, least)
    extra = [w - a for a, w in zip(least, wanted)]
    share = sum(extra) or 1.0
    scale = min(1.0, spare / share) if sum(extra) else 0.0
    widths = [a + e * scale for a, e in zip(least, extra)]
    rest = frame - sum(widths)
    return Fit(s, landscape, [w + rest * w / sum(widths) for w in widths])


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
    from docx.enum.section import WD_ORIENT, WD_SECTION
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

    def orient(sec, wide: bool) -> None:
        sec.orientation = WD_ORIENT.LANDSCAPE if wide else WD_ORIENT.PORTRAIT
        sec.page_width, sec.page_height = (Cm(29.7), Cm(21)) if wide else (Cm(21), Cm(29.7))
        set_columns(sec, 1)

    def add_table(item: Item) -> None:
        rows = item.rows
        fit = fit_table(rows, item.header_rows, (Cm(16.6).pt, Cm(25.3).pt), 11, Cm(0.38).pt)
        if fit.landscape:  # a wide table gets a landscape page of its own, as Word users give it
            orient(document.add_section(WD_SECTION.NEW_PAGE), True)
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = document.styles["Table Grid"] if style == "ruled" else None
        table.autofit = False
        widths = [w / Cm(1).pt for w in fit.widths]
        for c, column in enumerate(table.columns):  # the grid's widths, which LibreOffice reads (cell widths alone it ignores)
            column.width = Cm(widths[c])
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
                    for run in p.runs:
                        run.font.size = Pt(fit.size)
                        run.bold = r < item.header_rows or None
                if style == "headrule":
                    borders(cell, top=r == 0, bottom=r == item.header_rows - 1 or r == len(rows) - 1)
                elif style == "rulefree":
                    borders(cell)
        document.add_paragraph()
        if fit.landscape:
            orient(document.add_section(WD_SECTION.NEW_PAGE), False)

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
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import (BaseDocTemplate, Frame, ListFlowable, ListItem, NextPageTemplate, PageBreak, PageTemplate,
                                    Paragraph, Spacer, Table, TableStyle)
    from reportlab.platypus.flowables import BalancedColumns

    for name, file in (("Serif", "DejaVuSerif.ttf"), ("Serif-Bold", "DejaVuSerif-Bold.ttf"), ("Sans", "DejaVuSans.ttf")):
        pdfmetrics.registerFont(TTFont(name, f"/usr/share/fonts/truetype/dejavu/{file}"))
    serif = set(pdfmetrics.getFont("Serif").face.charToGlyph)
    body = ParagraphStyle("body", fontName="Serif", fontSize=10, leading=13, alignment=TA_JUSTIFY, spaceAfter=5)
    cell = ParagraphStyle("cell", fontName="Serif", fontSize=9, leading=11)
    head = ParagraphStyle("head", parent=cell, fontName="Serif-Bold")
    headings = {lvl: ParagraphStyle(f"h{lvl}", fontName="Serif-Bold", fontSize=size, leading=size * 1.3, spaceBefore=8, spaceAfter=5)
                for lvl, size in ((1, 15), (2, 12.5), (3, 11))}

    def para(text: str, st: ParagraphStyle) -> Paragraph:
        """A paragraph; a character DejaVu Serif lacks (✓) is set in DejaVu Sans, as word processors fall back."""
        marked = "".join(html.escape(c) if ord(c) in serif or c.isspace() else f'<font name="Sans">{html.escape(c)}</font>'
                         for c in text)
        return Paragraph(marked.replace("\n", "<br/>"), st)

    def table(item: Item, fit: Fit) -> Table:
        small = ParagraphStyle("cell-fit", parent=cell, fontSize=fit.size, leading=fit.size * 11 / 9)
        bold = ParagraphStyle("head-fit", parent=small, fontName="Serif-Bold")
        rows = [[para(text, bold if r < item.header_rows else small) for text in row] for r, row in enumerate(item.rows)]
        t = Table(rows, colWidths=fit.widths, repeatRows=item.header_rows, splitByRow=True, hAlign="LEFT")
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
        fit = fit_table(item.rows, item.header_rows, (17 * cm, 25.7 * cm), 9, 9, font="dejavu")
        if fit.landscape:  # a wide table gets a landscape page of its own
            return [NextPageTemplate("landscape"), PageBreak(), table(item, fit), NextPageTemplate("portrait"), PageBreak()]
        return [table(item, fit), Spacer(1, 8)]

    story = []
    for two, part in _in_runs(items, two_columns):
        flows = [f for item in part for f in flow(item)]
        story += [BalancedColumns(flows, nCols=2, spaceBefore=4, spaceAfter=4, innerPadding=10)] if two else flows
    templates = [PageTemplate(name, [Frame(2 * cm, 2 * cm, size[0] - 4 * cm, size[1] - 4 * cm, id=name)], pagesize=size)
                 for name, size in (("portrait", A4), ("landscape", landscape(A4)))]
    BaseDocTemplate(str(out), pagesize=A4, pageTemplates=templates, title=out.stem).build(story)


# ---------------------------------------------------------------- pandoc + LaTeX

_LUA = r"""
function Div(el)
  if el.classes:includes('twocol') then
    table.insert(el.content, 1, pandoc.RawBlock('latex', '\\begin{multicols}{2}'))
    table.insert(el.content, pandoc.RawBlock('latex', '\\end{multicols}'))
    return el
  end
  if el.classes:includes('landscape') then
    table.insert(el.content, 1, pandoc.RawBlock('latex', '\\begin{landscape}'))
    table.insert(el.content, pandoc.RawBlock('latex', '\\end{landscape}'))
    return el
  end
  if el.attributes['data-size'] then
    local size = el.attributes['data-size']
    table.insert(el.content, 1, pandoc.RawBlock('latex', '\\begingroup\\fontsize{' .. size .. '}{' .. size * 1.2 .. '}\\selectfont'))
    table.insert(el.content, pandoc.RawBlock('latex', '\\endgroup'))
    return el
  end
end
"""
_PREAMBLE = r"""
\usepackage{multicol}
\usepackage{pdflscape}
\usepackage{amssymb}
\setlength{\emergencystretch}{3em}
"""
# what pdflatex gets for characters its fonts lack; any other one outside Latin-1 becomes "?"
_FALLBACK = {"•": r"\textbullet", "✓": r"\checkmark", "✔": r"\checkmark", "¯": r"\textasciimacron", "≥": r"\ensuremath{\geq}",
             "≤": r"\ensuremath{\leq}", "−": "-", "▲": r"\ensuremath{\blacktriangle}", "▼": r"\ensuremath{\blacktriangledown}",
             "►": r"\ensuremath{\blacktriangleright}", "\u200b": r"\hspace{0pt}"}
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
        text = "".join(item.text + "".join(c for row in item.rows for c in row) for item in items) + "\u200b"
        pre.write_text(_PREAMBLE + _declarations(text) + (_RULEFREE if style == "rulefree" else ""), encoding="utf-8")
        subprocess.run(["pandoc", str(src), "-f", "html", "-o", str(out), "--pdf-engine=pdflatex", f"--lua-filter={lua}",
                        f"--include-in-header={pre}", "-V", "geometry:a4paper,margin=2.2cm", "-V", "fontsize=11pt",
                        "-V", "documentclass=article"], check=True, capture_output=True, timeout=300, cwd=tmp)


_LONG_WORD = re.compile(r"\S{30,}")


def breakable(text: str, every: int = 12) -> str:
    """A word too long for a line (a URL) given break points (zero-width spaces) after each slash and every
    ``every`` characters: TeX neither hyphenates nor breaks it, and it runs on over the column beside it, where
    Word would break it anywhere."""
    def cut(m: re.Match) -> str:
        parts = re.split(r"(?<=/)", m.group(0))
        return "\u200b".join("\u200b".join(p[i:i + every] for i in range(0, len(p), every)) for p in parts if p)
    return _LONG_WORD.sub(cut, text)


def _html(item: Item) -> str:
    esc = lambda text: html.escape(breakable(text))  # noqa: E731
    if item.kind == "heading":
        return f"<h{item.level}>{esc(item.text)}</h{item.level}>"
    if item.kind == "paragraph":
        return f"<p>{esc(item.text)}</p>"
    if item.kind == "bullet":
        return f"<ul><li>{esc(item.text)}</li></ul>"
    if item.kind == "numbered":
        return f'<ol start="{item.number.rstrip(".)")}"><li>{esc(item.text)}</li></ol>'
    # Latin Modern sets about a tenth wider than the Times metrics measured; cells are padded 6 pt each side
    fit = fit_table(item.rows, item.header_rows, (cm_pt(16.6), cm_pt(25.3)), 11, 12, stretch=1.1)
    cols = "".join(f'<col style="width: {100 * w / sum(fit.widths):.1f}%">' for w in fit.widths)
    rows = []
    for r, row in enumerate(item.rows):
        tag = "th" if r < item.header_rows else "td"
        rows.append("<tr>" + "".join(f"<{tag}>{esc(t).replace(chr(10), '<br>')}</{tag}>" for t in row) + "</tr>")
    head = "".join(rows[: item.header_rows])
    table = f"<table><colgroup>{cols}</colgroup><thead>{head}</thead><tbody>{''.join(rows[item.header_rows:])}</tbody></table>"
    if fit.size != 11:
        table = f'<div data-size="{fit.size:.1f}">\n{table}\n</div>'
    return f'<div class="landscape">\n{table}\n</div>' if fit.landscape else table


def cm_pt(cm: float) -> float:
    return cm * 72 / 2.54


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
