"""In Chromium: the review queue from the keyboard, bulk decisions, search and paging, and the event page
showing each report's normalised text beside the fields, its highlights exactly the evidence words (for a
report stored as ``khaldun ingest`` stores it, and for a report pasted on the upload page).

Same server and browser as ``test_web_browser.py`` (real app under uvicorn, Debian's Chromium, no
network). Screenshots of the queue, the search and the side-by-side event page land in
``tests/web/screenshots/``.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from test_web_browser import REPORT, SHOTS, map_ready, page, server, sign_in, wait_for  # noqa: F401 - fixtures

from khaldun.ingest.normalise import normalise
from khaldun.schema import Evidence
from web_factories import GAO, Coded, Invented, to_result

RAW = ("Des ha\u00adbitants ont manifesté\r\nmardi à Gao contre la hausse\u00a0des prix du pain, "
       "selon un commerçant du grand marché.")
PHRASES = {"location": "Gao", "sub_event_type": "manifesté", "actor1": "habitants", "event_date": "mardi",
           "notes": "des prix du pain"}


@pytest.fixture
def raw_report(web_db) -> str:
    """A report stored as ``khaldun ingest`` stores it: raw text with soft hyphens and CRLF, evidence offsets
    into the normalised text (which differs, so drawing them on the raw text would shift them)."""
    from khaldun.store import open_store
    from khaldun.store.ingest import store_result

    text = normalise(RAW).text
    assert text != RAW
    report = Invented("gao-market", dt.date(2024, 5, 8), "fr", "Sahel Hebdo", RAW,
                      [Coded(dt.date(2024, 5, 7), GAO, "Protests", "Peaceful protest", ("Protesters (Mali)", 6), None,
                             None, {}, iso=466, region="Western Africa")])
    result = to_result(report)
    evidence = [Evidence(field=f, start=text.index(p), end=text.index(p) + len(p), text=p) for f, p in PHRASES.items()]
    result = result.model_copy(update={"mentions": result.mentions.model_copy(update={"text": text}),
                                       "events": [result.events[0].model_copy(update={"evidence": evidence})]})
    with open_store(web_db) as store:
        store_result(store, result)
        with store.read() as conn:
            from sqlalchemy import select

            from khaldun.store.models import EventSourceRow

            return conn.execute(select(EventSourceRow.event_id).where(
                EventSourceRow.document_id == "gao-market")).scalar_one()


def test_event_page_shows_the_report_beside_the_fields_with_exact_highlights(raw_report, page):
    sign_in(page, "viewer")
    page.goto(f"/events/{raw_report}")
    marks = page.query_selector_all("#reports .report mark.evidence")
    shown = {m.get_attribute("data-fields"): m.text_content() for m in marks}
    assert shown == PHRASES
    report = page.query_selector("#reports .report").text_content()
    assert "habitants ont manifesté" in report and "\u00ad" not in report
    fields = page.query_selector("#fields").bounding_box()
    reports = page.query_selector("#reports").bounding_box()
    assert reports["x"] > fields["x"] + fields["width"] - 1  # side by side, not one under the other
    page.hover('#fields tr[data-field="location"]')
    assert page.query_selector('#reports mark.focus[data-fields="location"]')
    page.screenshot(path=SHOTS / "event-side-by-side.png", full_page=True)


def test_review_queue_from_the_keyboard_and_in_bulk(page):
    sign_in(page)
    page.goto("/review")
    assert page.inner_text("#queue-count") == "4"
    page.screenshot(path=SHOTS / "review-queue.png", full_page=True)
    page.click("#start-review")
    page.wait_for_selector("#queue-nav")
    assert page.inner_text("#queue-position") == "1" and page.inner_text("#queue-total") == "4"
    with page.expect_navigation(url=re.compile(r"/review/item\?.*message=accept")):
        page.keyboard.press("a")  # accept: the event leaves the queue, the next one takes its place
    assert page.inner_text("p.ok") == "accept saved" and page.inner_text("#queue-total") == "3"
    with page.expect_navigation(url=re.compile(r"/review/item\?.*i=1")):
        page.keyboard.press("n")
    assert page.inner_text("#queue-position") == "2"
    with page.expect_navigation(url=re.compile(r"/review/item\?.*i=0")):
        page.keyboard.press("k")
    assert page.inner_text("#queue-position") == "1"
    page.screenshot(path=SHOTS / "review-item.png", full_page=True)
    page.goto("/review")
    page.fill("#bulk-reason", "duplicates of wire copy")
    page.click("#bulk-form button[value=reject]")
    page.wait_for_selector("#queue-message")
    assert page.inner_text("#queue-message") == "reject: 3 events"
    assert page.inner_text("#queue-count") == "0"


def test_search_pages_and_sorts_the_list(page):
    sign_in(page)
    stamp = map_ready(page)
    page.fill("input[name=q]", "free syrian")
    page.click("#filters button[type=submit]")
    stamp = map_ready(page, stamp)
    assert page.inner_text("#count") == "2"
    assert [r.get_attribute("data-event") for r in page.query_selector_all("#events tbody tr")]
    page.screenshot(path=SHOTS / "search.png", full_page=True)
    page.fill("input[name=q]", "")
    page.click("#filters button[type=submit]")
    map_ready(page, stamp)
    page.click('#events th[data-sort="location"]')
    wait_for(page, "document.querySelector('#events tbody tr td:nth-child(3)').textContent === 'Gao'")
    page.click('#events th[data-sort="location"]')
    wait_for(page, "document.querySelector('#events tbody tr td:nth-child(3)').textContent === 'Homs'")
    assert re.match(r"1–4 of 4", page.inner_text("#page-info"))


RUNS = """() => {
  const runs = {};
  let previous = null, previousFields = [];
  for (const mark of document.querySelector('#reports .report').querySelectorAll('mark.evidence')) {
    const fields = (mark.dataset.fields || '').split(' ').filter(Boolean);
    const joined = previous !== null && mark.previousSibling === previous;
    for (const field of fields) {
      const list = runs[field] || (runs[field] = []);
      if (joined && previousFields.includes(field)) list[list.length - 1] += mark.textContent;
      else list.push(mark.textContent);
    }
    previous = mark; previousFields = fields;
  }
  return runs;
}"""
"""Each field's highlighted words on the event page: runs of adjacent marks carrying the field, joined."""


def test_an_uploaded_report_is_highlighted_where_its_evidence_is(page):
    """Pasted text reaches the server with CRLF line ends (a textarea's), here also a soft hyphen: the stored text is
    the normalised one the evidence offsets point into, so every highlight is exactly the evidence's words."""
    sign_in(page)
    page.goto("/upload")
    page.fill("textarea[name=text]", "Up\u00addate from the north:\n" + REPORT)
    page.fill("input[name=publication_date]", "2024-03-19")
    page.select_option("select[name=language]", "en")
    page.click("#upload button[type=submit]")
    page.wait_for_selector("#progress[data-state=done]", timeout=90_000)
    wait_for(page, "document.querySelector('#found a') !== null")
    event_id = page.inner_text("#found a")
    body = page.request.get(f"/api/events/{event_id}").json()
    source = body["sources"][0]
    assert "\r" not in source["text"] and "\u00ad" not in source["text"]
    wanted: dict[str, set[str]] = {}
    for e in source["evidence"]:
        assert source["text"][e["start"]:e["end"]] == e["text"]
        if e["field"] != "sentence":
            wanted.setdefault(e["field"], set()).add(e["text"])
    assert {"location", "actor1", "fatalities"} <= set(wanted)
    page.goto(f"/events/{event_id}")
    shown = {field: set(texts) for field, texts in page.evaluate(RUNS).items()}
    assert shown == wanted


def test_queue_by_date_edit_and_reject_from_the_keyboard(page):
    sign_in(page)
    page.goto("/review?order=event_date")
    dates = [r.inner_text() for r in page.query_selector_all("#queue-list tbody tr td:nth-child(2)")]
    assert dates == sorted(dates) and len(dates) == 4  # oldest first
    page.click("#start-review")
    page.wait_for_selector("#queue-nav")
    first = page.inner_text("h1")
    page.keyboard.press("e")  # edit: the value field takes the keys
    assert page.evaluate("document.activeElement.id") == "edit-value"
    page.select_option("#edit-field", "fatalities")
    page.fill("#edit-value", "3")
    page.fill("#edit-reason", "local hospital figure")
    with page.expect_navigation(url=re.compile(r"/review/item\?.*message=edit")):
        page.press("#edit-reason", "Enter")
    assert page.inner_text("#queue-total") == "3" and page.inner_text("h1") != first  # it left the queue
    with page.expect_navigation(url=re.compile(r"/review/item\?.*message=reject")):
        page.keyboard.press("r")
    assert page.inner_text("#queue-total") == "2"
