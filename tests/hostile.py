"""A hostile corpus: the bad, odd and dangerous things a folder of "council plans" can hold.

``build(folder, size)`` writes every case into ``folder`` and returns the
``Case`` list, each with the outcomes that count as handled: a document status
(``ok``, ``partial``, ``failed:<code>``) or a path issue (``path:<code>``).
Anything else — a traceback, a hang, a path neither extracted nor reported — is
a failure of the batch, not of the case.  ``size="small"`` runs in CI in about
a minute; ``size="full"`` is the long version ``bench/hostile_batch.py`` runs
(a 2 GB flate bomb, a 2,000-page PDF, a 10,000 pt image page at full size).

The PDFs are written by hand (``Pdf``) so each defect is exactly the one named:
a page tree that points at itself, a form that draws itself, a font whose map
leads to private-use characters, a scan in CCITT G4 or (broken) JBIG2.
"""
from __future__ import annotations

import io
import os
import random
import shutil
import socket
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
PLAN = (ROOT / "corpus" / "text" / "hart_2024-25_community-services.txt").read_bytes()
PLAN_TEXT = PLAN.decode("utf-8")
TRANSIENT = {"failed:time_limit", "failed:memory_limit", "failed:worker_died"}
READ = {"ok", "partial"}


@dataclass
class Case:
    name: str  # path relative to the corpus folder (bytes names are written as os.fsdecode)
    expect: set[str]
    note: str = ""


# ---------------------------------------------------------------- a PDF written by hand


class Pdf:
    """Numbered objects → a PDF file with a correct cross-reference table (unless told otherwise)."""

    def __init__(self) -> None:
        self.objects: list[bytes] = []

    def add(self, body: bytes) -> int:
        self.objects.append(body)
        return len(self.objects)

    def reserve(self) -> int:
        return self.add(b"null")

    def set(self, number: int, body: bytes) -> None:
        self.objects[number - 1] = body

    @staticmethod
    def stream(data: bytes, extra: bytes = b"") -> bytes:
        return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"

    def bytes(self, root: int = 1, good_xref: bool = True) -> bytes:
        out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(self.objects, start=1):
            offsets.append(len(out))
            out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(self.objects) + 1)
        for off in offsets:
            out += b"%010d 00000 n \n" % (off if good_xref else off + 7)
        out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(self.objects) + 1, root, xref)
        return bytes(out)


def _catalog(pdf: Pdf) -> tuple[int, int]:
    catalog = pdf.add(b"")
    pages = pdf.reserve()
    pdf.set(catalog, b"<< /Type /Catalog /Pages %d 0 R >>" % pages)
    return catalog, pages


def _text_ops(lines: list[str], size: int = 10) -> bytes:
    ops = [b"BT /F1 %d Tf 14 TL 50 780 Td" % size]
    for line in lines:
        safe = line.encode("latin-1", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        ops.append(b"(" + safe + b") '")
    ops.append(b"ET")
    return b"\n".join(ops)


def text_pdf(pages: int, lines_per_page: int = 45) -> bytes:
    """A plain text PDF of ``pages`` pages (one content stream shared by every page)."""
    pdf = Pdf()
    _, pages_obj = _catalog(pdf)
    font = pdf.add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    lines = [line for line in PLAN_TEXT.splitlines() if line.strip()][:lines_per_page]
    content = pdf.add(Pdf.stream(_text_ops(lines)))
    kids = [pdf.add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                    b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (pages_obj, content, font)) for _ in range(pages)]
    pdf.set(pages_obj, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), pages))
    return pdf.bytes()


def _one_page(resources: bytes, content: bytes, media: bytes = b"0 0 595 842", extra_objects=(), content_filter: bytes = b"") -> bytes:
    pdf = Pdf()
    _, pages_obj = _catalog(pdf)
    numbers = [pdf.add(body) for body in extra_objects]
    stream = pdf.add(Pdf.stream(content, content_filter))
    page = pdf.add(b"<< /Type /Page /Parent %d 0 R /MediaBox [%s] /Contents %d 0 R /Resources %s >>"
                   % (pages_obj, media, stream, resources % tuple(numbers) if numbers else resources))
    pdf.set(pages_obj, b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % page)
    return pdf.bytes()


def image_page(width_pt: int, height_pt: int, image: bytes, px: tuple[int, int], filter_: bytes, extra: bytes = b"") -> bytes:
    """One page holding nothing but an image (a scan) drawn over the whole page."""
    xobject = Pdf.stream(image, b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                                b"/BitsPerComponent %s /Filter %s %s" % (px[0], px[1], b"1" if b"CCITT" in filter_ or b"JBIG2" in filter_ else b"8", filter_, extra))
    return _one_page(b"<< /XObject << /Im1 %d 0 R >> >>", b"q %d 0 0 %d 0 0 cm /Im1 Do Q" % (width_pt, height_pt),
                     b"0 0 %d %d" % (width_pt, height_pt), [xobject])


def _scan_image(px: tuple[int, int], mode: str = "L"):
    from PIL import Image, ImageDraw

    image = Image.new(mode, px, 255 if mode == "L" else 1)
    draw = ImageDraw.Draw(image)
    for k, line in enumerate([x for x in PLAN_TEXT.splitlines() if x.strip()][:30]):
        draw.text((40, 40 + 22 * k), line[:90], fill=0)
    return image


def jpeg_scan(width_pt: int, height_pt: int, px: tuple[int, int]) -> bytes:
    buf = io.BytesIO()
    _scan_image(px).save(buf, "JPEG", quality=60)
    return image_page(width_pt, height_pt, buf.getvalue(), px, b"/DCTDecode")


def ccitt_scan() -> bytes:
    """A page scanned to CCITT Group 4 (fax) bitonal compression, as old scanners saved."""
    from PIL import Image

    px = (1700, 2200)
    buf = io.BytesIO()
    _scan_image(px, "1").save(buf, "TIFF", compression="group4", tiffinfo={278: px[1]})
    tiff = Image.open(io.BytesIO(buf.getvalue()))
    start, length = tiff.tag_v2[273][0], tiff.tag_v2[279][0]
    data = buf.getvalue()[start:start + length]
    return image_page(612, 792, data, px, b"/CCITTFaxDecode",
                      b"/DecodeParms << /K -1 /Columns %d /Rows %d /BlackIs1 false >>" % px)


def jbig2_scan() -> bytes:
    """A JBIG2 image whose data is damaged: the decoder must fail, not the batch."""
    return image_page(612, 792, bytes(random.Random(2).randrange(256) for _ in range(4000)), (1700, 2200), b"/JBIG2Decode")


def deflated_repeat(byte: bytes, total: int) -> bytes:
    """A zlib stream that inflates to ``total`` copies of ``byte``, built in a blink from one compressed block."""
    chunk = byte * (1 << 20)
    raw = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = raw.compress(chunk) + raw.flush(zlib.Z_FULL_FLUSH)  # byte-aligned, independent of what came before
    count, rest = divmod(total, len(chunk))
    adler = 1
    for _ in range(count):
        adler = zlib.adler32(chunk, adler)
    tail = zlib.compressobj(9, zlib.DEFLATED, -15)
    last = tail.compress(byte * rest) + tail.flush()  # the final block (BFINAL set)
    adler = zlib.adler32(byte * rest, adler)
    return b"\x78\xda" + block * count + last + struct.pack(">I", adler)


def flate_bomb(expanded: int) -> bytes:
    """A page whose content stream inflates to ``expanded`` bytes of spaces from about expanded/1000 bytes."""
    return _one_page(b"<< >>", deflated_repeat(b" ", expanded), content_filter=b"/Filter /FlateDecode")


def image_bomb(px: int) -> bytes:
    """A small page whose image inflates to ``px`` x ``px`` grey pixels when decoded."""
    return image_page(595, 842, deflated_repeat(b"\xff", px * px), (px, px), b"/FlateDecode")


def type3_without_unicode() -> bytes:
    """Text in a Type3 font whose glyphs have no Unicode map: the characters are only codes."""
    procs = b"".join(b"/g%d %%d 0 R " % k for k in range(1, 9))
    glyph = Pdf.stream(b"500 0 0 0 400 700 d1 0 0 m 400 700 l S")
    pdf = Pdf()
    _, pages_obj = _catalog(pdf)
    glyphs = [pdf.add(glyph) for _ in range(8)]
    font = pdf.add(b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 500 700] /FontMatrix [0.001 0 0 0.001 0 0] "
                   b"/CharProcs << " + procs % tuple(glyphs) + b">> /Encoding << /Type /Encoding /Differences [1 "
                   + b" ".join(b"/g%d" % k for k in range(1, 9)) + b"] >> /FirstChar 1 /LastChar 8 /Widths [500 500 500 500 500 500 500 500] >>")
    rng = random.Random(3)
    lines = [b"(" + bytes(rng.randrange(1, 9) for _ in range(60)) + b") '" for _ in range(40)]
    content = pdf.add(Pdf.stream(b"BT /F1 10 Tf 12 TL 40 780 Td\n" + b"\n".join(lines) + b"\nET"))
    page = pdf.add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R /Resources << /Font << /F1 %d 0 R >> >> >>"
                   % (pages_obj, content, font))
    pdf.set(pages_obj, b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % page)
    return pdf.bytes()


def gibberish_font() -> bytes:
    """A font whose ToUnicode map sends every code to private-use characters: text that reads as glyph soup."""
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Junk def "
            b"1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfrange <20> <7E> <E020> endbfrange "
            b"endcmap CMapName currentdict /CMap defineresource pop end end")
    lines = [line for line in PLAN_TEXT.splitlines() if line.strip()][:45]
    pdf = Pdf()
    _, pages_obj = _catalog(pdf)
    to_unicode = pdf.add(Pdf.stream(cmap))
    font = pdf.add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode %d 0 R >>" % to_unicode)
    content = pdf.add(Pdf.stream(_text_ops(lines)))
    page = pdf.add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R /Resources << /Font << /F1 %d 0 R >> >> >>"
                   % (pages_obj, content, font))
    pdf.set(pages_obj, b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % page)
    return pdf.bytes()


def looping_form() -> bytes:
    """A form XObject that draws itself: a content parser without a depth guard never returns."""
    pdf = Pdf()
    _, pages_obj = _catalog(pdf)
    form = pdf.reserve()
    pdf.set(form, Pdf.stream(b"/Fm1 Do", b"/Type /XObject /Subtype /Form /BBox [0 0 100 100] /Resources << /XObject << /Fm1 %d 0 R >> >>" % form))
    content = pdf.add(Pdf.stream(b"/Fm1 Do " + _text_ops(["Budget 2024/25 total 1,200"])))
    font = pdf.add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    page = pdf.add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                   b"/Resources << /XObject << /Fm1 %d 0 R >> /Font << /F1 %d 0 R >> >> >>" % (pages_obj, content, form, font))
    pdf.set(pages_obj, b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % page)
    return pdf.bytes()


def looping_page_tree() -> bytes:
    """A page tree whose only kid is itself."""
    pdf = Pdf()
    pdf.add(b"<< /Type /Catalog /Pages 2 0 R >>")
    pdf.add(b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>")
    return pdf.bytes()


def empty_page_tree() -> bytes:
    pdf = Pdf()
    pdf.add(b"<< /Type /Catalog /Pages 2 0 R >>")
    pdf.add(b"<< /Type /Pages /Kids [] /Count 0 >>")
    return pdf.bytes()


# ---------------------------------------------------------------- text


def nested_html(depth: int) -> bytes:
    return (("<div>" * depth) + "<p>Budget 2024/25 &pound;1.2m</p>" + ("</div>" * depth)).encode()


def script_bomb(megabytes: float) -> bytes:
    junk = "var a=" + "[" * 5000 + "]" * 5000 + ";" + "x=(((((1)))));" * int(megabytes * 70000)
    return f"<html><head><script>{junk}</script></head><body><p>{PLAN_TEXT[:2000]}</p></body></html>".encode()


def one_paragraph(megabytes: float) -> bytes:
    words = PLAN_TEXT.split()
    out, size = [], 0
    while size < megabytes * 1e6:
        out.extend(words)
        size += len(PLAN_TEXT)
    return " ".join(out).encode()


def scaled_plan(megabytes: float) -> bytes:
    """The plan repeated to ``megabytes`` (for time-versus-size)."""
    return PLAN * max(1, int(megabytes * 1e6 / len(PLAN)))


def parenthesised_table(rows: int) -> bytes:
    """Table cells full of parentheses and runs of spaces (the shape that once sent the reader backtracking)."""
    lines = ["Service area      Budget (£000)      Variance (£000)      Comments"]
    for k in range(rows):
        lines.append(f"Item ({k}) (a) (b)      ({k * 37 % 9000:,})      ({k % 97})      (see (note {k}) (( ))    ) ((    ((")
    return "\n".join(lines).encode()


# ---------------------------------------------------------------- the corpus


def build(folder: Path, size: str = "small") -> list[Case]:
    """Write the hostile corpus into ``folder`` (which must not exist); return its cases."""
    full = size == "full"
    folder.mkdir(parents=True)
    rng = random.Random(1)
    cases: list[Case] = []

    def put(name: str, data: bytes, expect: set[str], note: str = "") -> None:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        cases.append(Case(name, expect, note))

    def special(name: str, make: Callable[[Path], None], expect: set[str], note: str = "") -> None:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        make(path)
        cases.append(Case(name, expect, note))

    # empty and not text
    put("empty-1.txt", b"", {"failed:empty"})
    put("empty-2.txt", b"", {"failed:empty"}, "a second empty file is its own document, not a copy of the first")
    put("blank.txt", b"  \n\t\n  ", {"failed:empty"})
    put("random.txt", bytes(rng.randrange(256) for _ in range(20000)), {"failed:binary"})
    put("random.pdf", bytes(rng.randrange(256) for _ in range(20000)), {"failed:pdf_unreadable"})
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as z:
        z.writestr("plan.txt", PLAN)
    put("archive.pdf", zbuf.getvalue(), {"failed:pdf_unreadable"})
    put("only-controls.txt", bytes(rng.randrange(1, 9) for _ in range(3000)), {"failed:binary"})
    put("invisible-only.txt", "\u200b\u200c\ufeff\u2060".encode() * 200, {"failed:empty"})
    # encodings
    put("utf16-bom.txt", PLAN_TEXT.encode("utf-16"), READ)
    put("utf16le-no-bom.txt", PLAN_TEXT.encode("utf-16-le"), READ)
    put("utf32-bom.txt", PLAN_TEXT.encode("utf-32"), READ)
    put("cp1252.txt", PLAN_TEXT.encode("cp1252", "replace"), READ)
    put("stray-0x81.txt", PLAN.replace(b"\n\n", b"\n\x81\n", 1), READ)
    put("stray-0xff.txt", PLAN[:3000] + b"\xff\xfe" + PLAN[3000:], READ)
    put("nul-text.txt", PLAN.replace(b". ", b".\x00 ", 3), READ)
    put("ansi.txt", PLAN.replace(b"\n", b"\x1b[0m\n\x1b[1;31m", 40), READ)
    put("zero-width.txt", PLAN_TEXT.replace(" ", " \u200b", 300).encode(), READ)
    put("entities.html", PLAN_TEXT.replace("£", "&pound;").replace("&", "&amp;").replace("&amp;pound;", "&pound;").encode(), READ)
    put("bidi-emoji.txt", ("\u202e" + PLAN_TEXT.replace("Service", "Service \U0001F3DB\ufe0f", 5)).encode(), READ)
    # shapes that stress the reader
    put("nested.html", nested_html(10_000), READ | {"failed:reader_crashed"} | TRANSIENT)
    put("script-bomb.html", script_bomb(5 if full else 0.3), READ | {"failed:reader_crashed", "failed:extraction_crashed"} | TRANSIENT)
    # over spaCy's 1,000,000-character limit in one block: read, or a coded crash of the annotation step
    put("one-paragraph.txt", one_paragraph(1.5), READ | TRANSIENT | {"failed:extraction_crashed"})
    put("long-line.txt", b"Budget " + b"(1,234) " * 200_000, READ | TRANSIENT | {"failed:extraction_crashed"})
    put("parenthesised-table.txt", parenthesised_table(20_000 if full else 2_000), READ | TRANSIENT)
    if full:
        put("big-50mb.txt", scaled_plan(50), READ | TRANSIENT, "a 50 MB plan: ends ok or at its time limit")
    # PDFs
    good_pdf = (ROOT / "corpus" / "pdf" / "hart_2024-25_community-services.pdf").read_bytes()
    put("truncated.pdf", good_pdf[: len(good_pdf) // 3], {"failed:pdf_truncated", "failed:pdf_unreadable", "partial"})
    put("encrypted.pdf", (ROOT / "tests" / "fixtures" / "pdf" / "encrypted.pdf").read_bytes(), {"failed:pdf_encrypted"})
    put("page-tree-loop.pdf", looping_page_tree(), {"failed:pdf_no_pages", "failed:pdf_unreadable"})
    put("no-pages.pdf", empty_page_tree(), {"failed:pdf_no_pages", "failed:pdf_unreadable"})
    put("bad-xref.pdf", text_pdf(2).replace(b"startxref\n", b"startxref\n9"), READ | {"failed:pdf_unreadable"})
    put("pdf-named.txt", text_pdf(1), READ)
    put("pages-2000.pdf" if full else "pages-60.pdf", text_pdf(2000 if full else 60), READ | TRANSIENT)
    put("huge-page-10000pt.pdf", jpeg_scan(10_000, 10_000, (3000, 3000) if full else (1500, 1500)),
        READ | {"failed:no_text_layer", "failed:pdf_page_error"} | TRANSIENT)
    put("flate-bomb.pdf", flate_bomb((2048 if full else 768) << 20), {"failed:pdf_empty", "failed:pdf_page_error"} | TRANSIENT)
    put("image-bomb.pdf", image_bomb(40_000 if full else 20_000), {"failed:no_text_layer", "failed:pdf_page_error", "failed:pdf_empty"} | TRANSIENT)
    put("ccitt-scan.pdf", ccitt_scan(), READ | {"failed:no_text_layer", "failed:pdf_page_error"})
    put("jbig2-broken.pdf", jbig2_scan(), {"failed:no_text_layer", "failed:pdf_page_error", "failed:pdf_empty"} | READ)
    put("type3-no-unicode.pdf", type3_without_unicode(), {"partial", "failed:pdf_empty", "failed:no_text_layer"})
    put("gibberish-font.pdf", gibberish_font(), {"partial", "failed:pdf_empty"})
    put("form-loop.pdf", looping_form(), READ | {"failed:pdf_page_error", "failed:pdf_empty"} | TRANSIENT)
    # names
    put("copy-a.txt", PLAN, READ)
    put("copy-b.txt", PLAN, READ, "byte-identical to copy-a.txt: one document with two names")
    put("name\nwith-newline.txt", PLAN[:4000], READ)
    put(os.fsdecode(b"name-\xff\xfe-not-utf8.txt"), PLAN[:5000], READ)
    put("-leading-dash.txt", PLAN[:4500], READ)
    put("x" * 240 + ".txt", PLAN[:3500], READ)
    put("dir.pdf/inside.txt", PLAN[:3800], READ, "a folder named like a PDF is walked")
    # paths that are not documents
    special("fifo.txt", lambda p: os.mkfifo(p), {"path:not_a_file"})
    special("socket.txt", _socket, {"path:not_a_file"})
    special("self-loop.txt", lambda p: os.symlink(p.name, p), {"path:symlink_loop"})
    special("sub/back-up", lambda p: os.symlink("..", p), {"path:symlink_loop"})
    special("dangling.txt", lambda p: os.symlink("nowhere.txt", p), {"path:dangling_link"})
    special("zero-device.txt", lambda p: os.symlink("/dev/zero", p), {"path:not_a_file"})
    special("locked.txt", _locked_file, {"path:unreadable_file"} if os.geteuid() else READ,
            "root reads it anyway" if not os.geteuid() else "")
    special("locked-folder" if os.geteuid() else "locked-folder/inside.txt", _locked_folder,
            {"path:unreadable_folder"} if os.geteuid() else READ, "root reads it anyway" if not os.geteuid() else "")
    return cases


def _socket(path: Path) -> None:
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))
    sock.close()  # the socket file stays


def _locked_file(path: Path) -> None:
    path.write_bytes(PLAN[:3000])
    path.chmod(0)


def _locked_folder(path: Path) -> None:
    folder = path if path.name == "locked-folder" else path.parent
    folder.mkdir(exist_ok=True)
    (folder / "inside.txt").write_bytes(PLAN[:3000])
    folder.chmod(0)


def remove(folder: Path) -> None:
    """Delete a hostile corpus (locked folders unlocked first)."""
    for dirpath, dirnames, _ in os.walk(folder):
        for d in dirnames:
            p = Path(dirpath) / d
            if not p.is_symlink():
                p.chmod(0o755)
    shutil.rmtree(folder, ignore_errors=True)


# ---------------------------------------------------------------- judging a run


def outcomes(cases: list[Case], folder: Path, store) -> dict[str, str]:
    """Each case's outcome in the store: 'ok', 'partial', 'failed:<first error code>', 'path:<code>' or 'missing'."""
    from pipeline.ingest import display_path

    docs = {d["sha256"]: d for d in store.documents()}
    by_path = {n["path"]: docs.get(n["sha256"]) for n in store.names()}
    by_path.update({d["path"]: d for d in docs.values()})
    issues = {i["path"]: i["code"] for i in store.path_issues()}
    out = {}
    for case in cases:
        path = display_path(folder / case.name)
        if path in issues:
            out[case.name] = f"path:{issues[path]}"
        elif path in by_path and by_path[path]:
            doc = by_path[path]
            errors = [i["code"] for i in doc["issues"] or [] if i.get("severity") == "error"]
            out[case.name] = f"failed:{errors[0] if errors else '?'}" if doc["status"] == "failed" else doc["status"]
        else:
            out[case.name] = "missing"
    return out
