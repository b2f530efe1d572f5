"""In Chromium: an analyst's edit survives a merge, a merge survives a re-ingest, control rings stay single, and
the smaller items of issue 13: holders' colours, the API docs offline, unplaced events counted, exports filtered.

Same server and browser as ``test_web_browser.py``. The analyst works through the event
page's forms; the re-ingest is what ``khaldun ingest`` stores for an updated report.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from test_web_browser import SHOTS, map_ready, page, server, sign_in, wait_for  # noqa: F401 - fixtures
from test_web_decisions import updated
from web_factories import to_result


def hama_events(web_db: str) -> tuple[str, str]:
    """The air strike on Hama and the capture of Hama: two events an analyst may judge one."""
    from khaldun.store import open_store
    from khaldun.store.models import EventRow

    with open_store(web_db) as store, store.read() as conn:
        strike = conn.execute(select(EventRow.id).where(EventRow.sub_event_type == "Air/drone strike")).scalar_one()
        taken = conn.execute(select(EventRow.id).where(EventRow.event_type == "Strategic developments")).scalar_one()
    return strike, taken


def merge_in_page(page, target: str, other: str, reason: str) -> None:
    page.goto(f"/events/{target}")
    form = page.locator("form:has(input[name=action][value=merge])")
    form.locator("input[name=other_id]").fill(other)
    form.locator("input[name=reason]").fill(reason)
    form.locator("button[type=submit]").click()
    page.wait_for_selector("p.ok")
    assert page.inner_text("p.ok") == "merge saved"


def fatalities_shown(page) -> str:
    return page.inner_text('#fields tr[data-field="fatalities"] td')


def test_edit_then_merge_in_the_browser_keeps_the_edit(web_db, page):
    strike, taken = hama_events(web_db)
    sign_in(page)
    page.goto(f"/events/{strike}")
    page.select_option("#edit-field", "fatalities")
    page.fill("#edit-value", "9")
    page.fill("#edit-reason", "hospital count")
    page.click("#edit-form button[type=submit]")
    page.wait_for_selector("p.ok")
    assert fatalities_shown(page) == "9"
    merge_in_page(page, strike, taken, "same day, same town")
    assert fatalities_shown(page) == "9"  # the merge recomputed the record and put the analyst's value back
    assert page.inner_text("#reports h2") == "Reports merged into this event (2)"
    history = page.inner_text("#history tbody")
    assert "merge" in history and "same day, same town" in history
    assert not re.search(r"fatalities: 9\s*→", history)  # the merge changed nothing the analyst set
    page.screenshot(path=SHOTS / "edit-then-merge.png", full_page=True)


def test_merge_then_reingest_in_the_browser_keeps_the_merge(web_db, page):
    from khaldun.store import open_store
    from khaldun.store.ingest import store_result

    strike, taken = hama_events(web_db)
    sign_in(page)
    merge_in_page(page, strike, taken, "one event told twice")
    with open_store(web_db) as store:  # an updated version of the merged-away event's report arrives
        assert store_result(store, to_result(updated("hama-en"))).status == "replaced"
    page.goto(f"/events/{taken}")
    page.wait_for_url(re.compile(rf"/events/{re.escape(strike)}"))  # the old id still leads to the merged event
    assert page.inner_text("#reports h2") == "Reports merged into this event (2)"
    assert page.inner_text("#review-status") == "edited"
    page.goto("/")
    map_ready(page)
    assert page.inner_text("#count") == "3"
    assert not page.query_selector(f'#events tr[data-event="{taken}"]')


def test_control_rings_follow_the_last_date_and_the_country(page):
    sign_in(page, "viewer")
    map_ready(page)
    page.fill("input[name=control_at]", "2024-03-09")
    page.dispatch_event("input[name=control_at]", "change")
    page.fill("input[name=control_at]", "2024-03-11")  # a quick second change: its answer replaces the first
    page.dispatch_event("input[name=control_at]", "change")
    page.fill("input[name=control_at]", "2024-03-12")
    page.dispatch_event("input[name=control_at]", "change")
    wait_for(page, "document.getElementById('map').dataset.rings === '1'")
    page.wait_for_timeout(500)  # any late answer to an earlier change would add its rings now
    assert len(page.query_selector_all("path.held")) == 1
    page.select_option("select[name=country]", "Mali")
    wait_for(page, "document.getElementById('map').dataset.control === '0'")
    assert page.query_selector_all("path.held") == []
    page.select_option("select[name=country]", "Syria")
    wait_for(page, "document.getElementById('map').dataset.rings === '1'")
    assert len(page.query_selector_all("path.held")) == 1


def test_every_holder_on_the_map_gets_its_own_colour(page):
    sign_in(page, "viewer")
    map_ready(page)
    colours = page.evaluate("() => Object.values(holderColours(new Set(Array.from({length: 30}, (_, i) => `G${i}`))))")
    assert len(colours) == 30 and len(set(colours)) == 30


def test_api_docs_draw_without_internet(page):
    """Every request to another host fails in these tests: the page draws the spec from its own script."""
    sign_in(page, "viewer")
    page.goto("/docs")
    wait_for(page, "document.querySelectorAll('#operations details.operation').length > 10")
    assert page.query_selector('details.operation[id="get-/api/map"]')
    page.screenshot(path=SHOTS / "docs.png", full_page=True)


def test_unplaced_events_are_counted_and_exports_follow_the_filters(web_db, page):
    from khaldun.store import open_store
    from khaldun.store.models import EventRow
    from sqlalchemy import update

    strike, _ = hama_events(web_db)
    with open_store(web_db) as store, store.write() as conn:
        conn.execute(update(EventRow).where(EventRow.id == strike).values(latitude=None, longitude=None))
    sign_in(page, "viewer")
    stamp = map_ready(page)
    assert page.inner_text("#unplaced").startswith("1 event without coordinates")
    assert page.get_attribute("#map", "data-count") == "3" and page.inner_text("#count") == "4"
    page.select_option("select[name=country]", "Mali")
    page.click("#filters button[type=submit]")
    map_ready(page, stamp)
    assert page.inner_text("#unplaced") == ""
    for link, kind in (("#export", "csv"), ("#export-geojson", "geojson"), ("#export-parquet", "parquet")):
        assert page.get_attribute(link, "href") == f"/api/export?format={kind}&country=Mali"
    exported = page.request.get(page.get_attribute("#export-geojson", "href")).json()
    assert {f["properties"]["country"] for f in exported["features"]} == {"Mali"}
