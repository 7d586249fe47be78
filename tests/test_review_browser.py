"""The review site in a real browser: headless Debian chromium driven by playwright (never `playwright install`).

Opens the index and a PDF document's page from disk, clicks a record and checks its box is drawn, selected
and in view; clicks a box and checks its record is selected; marks a record wrong, downloads the corrections
file and loads it.  Screenshots go to output/screenshots/ for a reviewer to look at.
"""
import json
import os
import shutil
from pathlib import Path

import pytest

import councilplans as cp

from conftest import ROOT

CHROMIUM = Path(os.environ.get("COUNCILPLANS_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SHOTS = ROOT / "output" / "screenshots"


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI must test the review site in a browser: apt-get install chromium ({CHROMIUM} is missing)")
        pytest.skip(f"no browser at {CHROMIUM}: apt-get install chromium")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def site(review_store, tmp_path_factory):
    db = tmp_path_factory.mktemp("browser") / "review.db"
    shutil.copy(review_store, db)  # the test loads corrections into it
    out = db.parent / "site"
    cp.review(db, out)
    return db, out


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("console", lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None)
    page.on("request", lambda req: problems.append(f"network: {req.url}")
            if not req.url.startswith(("file://", "blob:", "data:")) else None)
    page.problems = problems
    yield page
    context.close()
    assert problems == []  # no script errors, nothing fetched from the network


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name))


def open_document(page, out, source):
    """From the index, as a reader would: click the document's link; its records, as the page holds them."""
    page.goto((out / "index.html").as_uri())
    page.click(f"text={source}")
    page.wait_for_selector("#recs li")
    return page.evaluate("window.councilplansReview.records")


def in_view(page, selector_or_handle, container="#src"):
    handle = page.query_selector(selector_or_handle) if isinstance(selector_or_handle, str) else selector_or_handle
    box, area = handle.bounding_box(), page.query_selector(container).bounding_box()
    return box is not None and box["height"] > 0 and area["y"] <= box["y"] and box["y"] + box["height"] <= area["y"] + area["height"]


def test_index_sorts_and_filters(page, site):
    _, out = site
    page.goto((out / "index.html").as_uri())
    rows = page.locator("#docs tbody tr")
    assert rows.count() == 3
    page.click("#docs th[data-k=budget]")
    page.click("#docs th[data-k=budget]")  # descending: the most budgets first
    counts = [int(x or 0) for x in page.eval_on_selector_all("#docs tbody tr td:nth-child(8)", "tds => tds.map(t => t.textContent)")]
    assert counts == sorted(counts, reverse=True)
    page.fill("#q", "sevenoaks")
    assert page.locator("#docs tbody tr:visible").count() == 1
    shot(page, "review-index.png")


def test_clicking_a_record_shows_its_box_on_the_pdf_page(page, site):
    data = open_document(page, site[1], "hart_2024-25_community-services.pdf")
    budget = next(r for r in data if r["t"] == "budget" and r["p"] and r["p"] > 1)
    page.click(f"#recs li[data-i='{budget['i']}']")
    box = page.wait_for_selector(f".box.sel[data-r='{budget['i']}']", state="visible")
    assert box.is_visible() and in_view(page, box)
    assert page.get_attribute(f"#recs li[data-i='{budget['i']}']", "class").split().count("sel") == 1
    page.wait_for_function(f"document.querySelector('#pg-{budget['p']} img').complete")  # its page image, loaded lazily
    assert page.evaluate(f"document.querySelector('#pg-{budget['p']} img').naturalWidth") > 500
    assert "£" in page.inner_text("#detail") and budget["f"]["scope"] in page.inner_text("#detail")
    shot(page, "review-pdf.png")

    other = next(r for r in data if r["r"] and r["r"][0][0] == budget["p"] and r["i"] != budget["i"])
    page.click(f".box[data-r='{other['i']}']", force=True)  # a highlight selects its record
    assert "sel" in page.get_attribute(f"#recs li[data-i='{other['i']}']", "class").split()
    assert "sel" not in page.get_attribute(f".box[data-r='{budget['i']}']", "class").split()


def test_clicking_a_record_highlights_its_words_in_a_text_plan(page, site):
    data = open_document(page, site[1], "sevenoaks_2012-13_service-plans-summary.txt")
    last = [r for r in data if r["t"] == "budget"][-1]  # far down the text: it must scroll there
    page.click(f"#recs li[data-i='{last['i']}']")
    marks = page.query_selector_all(".hl.sel")
    assert marks and all(m.is_visible() for m in marks) and in_view(page, marks[0])
    assert any(str(last["i"]) in (m.get_attribute("data-r") or "").split() for m in marks)
    shot(page, "review-text.png")


def test_a_correction_made_in_the_browser_loads(page, site):
    db, out = site
    data = open_document(page, out, "hart_2024-25_community-services.txt")
    target = next(r for r in data if r["t"] == "target")
    page.fill("#author", "Browser Tester")
    page.dispatch_event("#author", "change")
    page.click(f"#recs li[data-i='{target['i']}']")
    page.once("dialog", lambda dialog: dialog.accept("not a target: a heading"))
    page.click("text=mark wrong")
    assert page.inner_text("#n-pending") == "1"
    with page.expect_download() as download:
        page.click("#download")
    path = out.parent / "downloaded.json"
    download.value.save_as(path)
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["corrections"][0]["author"] == "Browser Tester"
    loaded = cp.correct(path, db)
    assert loaded.loaded == 1 and loaded.statuses[0].state == "applied"
    assert target["id"] not in set(cp.records(db, "target")["id"])
