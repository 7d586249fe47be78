"""The review site's HTML: an index page and one page per document, data embedded as JSON.

Pages work from disk (``file://``): relative links, the bundled CSS and JS
from ``assets/``, no fonts or scripts from anywhere else.  The text of a text
document is written here, server-side, with every record's span wrapped in a
highlight; the browser only wires up clicks.
"""
from __future__ import annotations

import json
from html import escape
from typing import Any, Iterable, Optional

TYPE_ORDER = ("service", "objective", "budget", "target", "performance", "workforce", "risk")


def _json(data: Any) -> str:
    """JSON safe inside <script>: no "</" can close the element early."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str).replace("</", "<\\/")


def page(title: str, body: str, data: dict, root: str) -> str:
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} - councilplans review</title>
<link rel="stylesheet" href="{root}assets/review.css">
</head>
<body class="cp-{escape(data['page'])}">
{body}
<script id="cp-data" type="application/json">{_json(data)}</script>
<script src="{root}assets/review.js"></script>
</body>
</html>
"""


# ---------------------------------------------------------------- index

def index_page(rows: list[dict], summary: dict) -> str:
    head = "".join(f'<th data-k="{k}"{" class=num" if num else ""}>{escape(label)}</th>' for k, label, num in INDEX_COLUMNS)
    body_rows = "\n".join(_index_row(r) for r in rows)
    orphans = summary.get("orphaned") or []
    orphan_html = ""
    if orphans:
        items = "".join(f"<li><b>{escape(o['action'])} {escape(o['record_type'])}</b> in {escape(o['source'] or '?')}: "
                        f"{escape(o['record_key'] or o['value'] or '')} <i>({escape(o['author'])}: {escape(o['reason'])})</i> "
                        f"&mdash; {escape(o['why'])}</li>" for o in orphans)
        orphan_html = (f'<section class="orphans"><h2>{len(orphans)} correction(s) no longer find their record</h2>'
                       f"<p>They are kept in the store and listed by <code>councilplans correct --list</code>.</p><ul>{items}</ul></section>")
    body = f"""<header class="top">
<h1>councilplans review</h1>
<p class="sum">{summary['documents']} documents &middot; {summary['records']} records &middot;
{summary['low_confidence']} low-confidence &middot; {summary['checks_failed']} failed checks &middot;
{summary['corrections']} corrections applied{' (raw: corrections not applied)' if summary['raw'] else ''}</p>
<div class="tools"><input id="q" type="search" placeholder="Filter: council, file, year, issue..." aria-label="filter documents">
<select id="status" aria-label="status"><option value="">any status</option><option>ok</option><option>partial</option><option>failed</option></select>
<label><input type="checkbox" id="flagged"> with issues or flagged records</label>
<span id="shown"></span><span class="pending" id="pending"></span></div>
</header>
{orphan_html}
<main><table id="docs"><thead><tr>{head}</tr></thead><tbody>
{body_rows}
</tbody></table></main>"""
    return page("Documents", body, {"page": "index", "summary": summary}, "")


INDEX_COLUMNS = [("source", "document", False), ("council", "council", False), ("year", "year", False),
                 ("status", "status", False), ("issues", "coded issues", False)] + \
                [(t, t, True) for t in TYPE_ORDER] + \
                [("low", "low conf.", True), ("checks", "failed checks", True), ("corr", "corrections", True)]


def _index_row(r: dict) -> str:
    issues = " ".join(f'<span class="issue {escape(i["severity"])}" title="{escape(i["message"])}">{escape(i["code"])}</span>'
                      for i in r["issues"])
    cells = [
        f'<td data-v="{escape(r["source"])}"><a href="{escape(r["href"])}">{escape(r["source"])}</a>'
        f'{"<small> pdf, " + str(r["pages"]) + " p.</small>" if r["pages"] else ""}</td>',
        f'<td>{escape(r["council"] or "")}</td>', f'<td>{escape(r["year"] or "")}</td>',
        f'<td><span class="st {escape(r["status"])}">{escape(r["status"])}</span></td>',
        f'<td data-v="{len(r["issues"])}">{issues}</td>',
    ]
    cells += [f'<td class="num">{r["counts"].get(t, 0) or ""}</td>' for t in TYPE_ORDER]
    cells += [f'<td class="num{" warn" if r[k] else ""}">{r[k] or ""}</td>' for k in ("low", "checks", "corr")]
    flagged = bool(r["issues"] or r["low"] or r["checks"])
    return f'<tr data-status="{escape(r["status"])}" data-flagged="{int(flagged)}">{"".join(cells)}</tr>'


# ---------------------------------------------------------------- document

def document_page(doc: dict, source_html: str, data: dict) -> str:
    issues = "".join(f'<li class="{escape(i["severity"])}"><b>{escape(i["code"])}</b> {escape(i["message"].splitlines()[0] if i["message"] else "")}</li>'
                     for i in doc["issues"])
    warnings = "".join(f"<li>{escape(w)}</li>" for w in data.get("warnings", []))
    chips = "".join(f'<button class="chip t-{t}" data-type="{t}" aria-pressed="true">{t} <b></b></button>' for t in TYPE_ORDER)
    body = f"""<header class="top">
<a class="back" href="../index.html">&larr; all documents</a>
<h1>{escape(doc['source'])}</h1>
<p class="meta">{escape(doc.get('council') or 'council unknown')} &middot; {escape(doc.get('financial_year') or 'year unknown')}
&middot; <span class="st {escape(doc['status'])}">{escape(doc['status'])}</span>
{('&middot; ' + escape(doc['title'])) if doc.get('title') else ''}</p>
{f'<ul class="issues">{issues}</ul>' if issues else ''}
{f'<ul class="warnings">{warnings}</ul>' if warnings else ''}
</header>
<div class="split">
<section id="src" class="src {escape(data['mode'])}" aria-label="source">
{source_html}
</section>
<aside id="side" aria-label="records">
<div class="filters">{chips}
<input id="rq" type="search" placeholder="search records" aria-label="search records">
<label><input type="checkbox" id="only-flagged"> only low-confidence / failed checks</label>
</div>
<ol id="recs"></ol>
<div id="detail" hidden></div>
<div class="tray">
<button id="add-record">+ add a missing record</button>
<label>your name <input id="author" size="12"></label>
<button id="download" disabled>download corrections (<span id="n-pending">0</span>)</button>
<details><summary>pending corrections</summary><ol id="pending-list"></ol>
<p class="hint">Load the downloaded file with <code>councilplans correct FILE</code>.</p></details>
</div>
</aside>
</div>"""
    return page(doc["source"], body, data, "../")


def text_source(text: str, spans: list[tuple[int, int, int, str, str]]) -> str:
    """The text with every record's span wrapped: ``<span class="hl t-budget" data-r="3 7">``.

    ``spans``: (start, end, record index, type, extra classes).  Where spans
    overlap, the segment lists every record covering it (innermost first) and
    takes the innermost record's colour.
    """
    bounds = sorted({0, len(text), *[s for s, _, _, _, _ in spans], *[e for _, e, _, _, _ in spans]})
    starts: dict[int, list] = {}
    for span in spans:
        if span[1] > span[0]:
            starts.setdefault(span[0], []).append(span)
    active: list[tuple[int, int, int, str, str]] = []
    out = []
    for a, b in zip(bounds, bounds[1:]):
        active = [s for s in active if s[1] > a] + starts.get(a, [])
        chunk = escape(text[a:b])
        if not active:
            out.append(chunk)
            continue
        ordered = sorted(active, key=lambda s: (s[1] - s[0], s[2]))
        inner = ordered[0]
        ids = " ".join(str(s[2]) for s in ordered)
        out.append(f'<span class="hl t-{inner[3]}{inner[4]}" data-r="{ids}">{chunk}</span>')
    return f'<pre class="text">{"".join(out)}</pre>'


def pdf_source(images: Iterable[dict]) -> str:
    pages = []
    for im in images:
        pages.append(f'<div class="pg" id="pg-{im["n"]}" data-n="{im["n"]}" style="aspect-ratio:{im["w"]}/{im["h"]}">'
                     f'<img loading="lazy" decoding="async" src="{escape(im["src"])}" width="{im["w"]}" height="{im["h"]}" alt="page {im["n"]}">'
                     f'<div class="ov"></div><span class="pn">{im["n"]}</span></div>')
    return "\n".join(pages)


def missing_source(message: str) -> str:
    return f'<p class="missing">{escape(message)}</p>'


def issue_list(issues: Optional[list]) -> list[dict]:
    return [{"code": i.get("code", ""), "message": i.get("message", ""), "severity": i.get("severity", "error")} for i in (issues or [])]
