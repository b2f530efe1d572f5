"""End to end in real headless Chromium (Playwright): sign in, upload, map, timeline, event page, edit, filter.

The server is the real app under uvicorn on a free local port, over a copy of the seeded
store, with the real extraction pipeline for the uploaded report. There is no network:
Playwright drives Debian's Chromium (``/usr/bin/chromium``) rather than downloading its
own, and the map draws its base layer from the shipped country outlines. Without that
binary the tests skip, except in CI (``CI=true``), where they fail.

Screenshots of each main page go to ``tests/web/screenshots/`` (ignored by git).
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from web_harness import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).parent / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
REPORT = ("Syrian army troops clashed with Free Syrian Army rebels in Aleppo on Monday, killing nine fighters, "
          "activists said.\n\nThe fighting lasted until nightfall, according to residents.")

if not CHROMIUM.exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"{CHROMIUM} is missing: CI must install chromium for the browser tests")
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(web_db, pipeline) -> Iterator[str]:
    """The workbench served by uvicorn in a thread, over a copy of the seeded store; yields its URL."""
    import uvicorn

    from khaldun.web import create_app

    app = create_app(web_db, pipeline=pipeline)
    port = free_port()
    instance = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    for _ in range(200):
        if instance.started:
            break
        time.sleep(0.05)
    assert instance.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page(server) -> Iterator[object]:
    SHOTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 1000})
        context.set_default_timeout(30_000)
        # nothing leaves the machine: any request to another host fails at once
        context.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/]).*"), lambda route: route.abort())
        opened = context.new_page()
        errors: list[str] = []
        opened.on("pageerror", lambda exc: errors.append(str(exc)))
        # the pages must work under their Content-Security-Policy: Chromium reports each refusal on the console
        opened.on("console", lambda message: errors.append(message.text)
                  if "Content Security Policy" in message.text else None)
        opened.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
        yield opened
        browser.close()
        assert errors == [], errors


def sign_in(page, role: str = "analyst") -> None:
    page.goto("/")
    page.wait_for_url(re.compile(r"/login\?next=/$"))
    page.fill("input[name=username]", role)
    page.fill("input[name=password]", PASSWORD)
    page.screenshot(path=SHOTS / "login.png")
    page.click("#login button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))


def wait_for(page, expression: str, arg: object = None, timeout: float = 30.0) -> None:
    """Poll ``expression`` until it is truthy. Playwright's ``wait_for_function`` evaluates its predicate with
    ``eval`` inside the page, which the pages' Content-Security-Policy refuses; ``evaluate`` is not subject to it."""
    deadline = time.monotonic() + timeout
    function = expression if "=>" in expression else f"() => ({expression})"
    while not page.evaluate(function, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expression}")
        time.sleep(0.05)


def map_ready(page, previous: str = "") -> str:
    """Wait for the map page to finish a (re)load of events, timeline and control; returns its stamp."""
    wait_for(page, "(prev) => { const m = document.getElementById('map');"
                           " return m && m.dataset.ready && m.dataset.ready !== prev"
                           " && m.dataset.baseLayer === 'loaded'; }", arg=previous)
    return page.get_attribute("#map", "data-ready")


def go_to_map(page) -> None:
    page.click("header nav >> text=Map")
    page.wait_for_url(re.compile(r"/$"))


def listed(page) -> list[tuple[str, str]]:
    return [(r.get_attribute("data-type"), r.inner_text().split("\t")[2]) for r in page.query_selector_all(
        "#events tbody tr")]


def test_analyst_uploads_reviews_and_filters(page):
    sign_in(page)
    assert page.inner_text("header .who span") == "analyst (analyst)"
    stamp = map_ready(page)
    assert page.inner_text("#count") == "4"

    # upload a report and watch it being extracted
    page.click("header nav >> text=Upload")
    page.wait_for_url(re.compile(r"/upload$"))
    page.fill("textarea[name=text]", REPORT)
    page.fill("input[name=publication_date]", "2024-03-19")
    page.select_option("select[name=language]", "en")
    page.fill("input[name=source]", "Desert Wire")
    page.click("#upload button[type=submit]")
    page.wait_for_selector("#progress[data-state=done]", timeout=90_000)
    assert page.inner_text("#status").startswith("1 of 1 reports")
    assert "added, 1 events" in page.inner_text("#outcomes")
    wait_for(page, "document.getElementById('found').textContent.includes('Aleppo')")
    assert "Armed clash · 2024-03-18 · Aleppo · 9 killed" in page.inner_text("#found")
    event_link = page.query_selector("#found a")
    event_id = event_link.inner_text()
    page.screenshot(path=SHOTS / "upload.png", full_page=True)

    # its event is on the map, in the timeline and in the list
    go_to_map(page)
    stamp = map_ready(page)
    assert page.inner_text("#count") == "5"
    assert page.get_attribute("#map", "data-count") == "5"
    assert page.query_selector_all(".leaflet-marker-icon")
    assert page.query_selector('#timeline rect.bar[data-date="2024-03-18"][data-type="Battles"]')
    assert len(page.query_selector_all("#timeline rect.bar")) == 5
    assert page.query_selector(f'#events tr[data-event="{event_id}"]')
    page.fill("input[name=control_at]", "2024-03-11")
    page.dispatch_event("input[name=control_at]", "change")
    wait_for(page, "document.getElementById('map').dataset.control === '1'")
    page.wait_for_timeout(300)
    page.screenshot(path=SHOTS / "map.png", full_page=True)

    # the event page shows the supporting words highlighted in the report
    page.click(f'#events tr[data-event="{event_id}"] a')
    page.wait_for_url(re.compile(r"/events/"))
    marks = page.query_selector_all(".report mark.evidence")
    fields = {f for m in marks for f in (m.get_attribute("data-fields") or "").split()}
    assert {"sub_event_type", "actor1", "location", "fatalities"} <= fields
    assert any(m.inner_text().startswith("Aleppo") for m in marks)
    assert page.inner_text("#claimed-by") == "activists"
    assert "No change yet" in page.inner_text("main")
    page.screenshot(path=SHOTS / "event.png", full_page=True)

    # edit a field with a reason; the change shows in the history
    page.select_option("#edit-field", "fatalities")
    assert page.input_value("#edit-value") == "9"
    page.fill("#edit-value", "11")
    page.fill("#edit-reason", "hospital toll the next day")
    page.click("#edit-form button[type=submit]")
    page.wait_for_selector("p.ok")
    assert page.inner_text("p.ok") == "edit saved"
    assert page.inner_text("#review-status") == "edited"
    assert page.inner_text('#fields tr[data-field="fatalities"] td') == "11"
    history = page.inner_text("#history tbody")
    assert "analyst" in history and "edit" in history and "hospital toll the next day" in history
    assert re.search(r"fatalities: 9\s*→\s*11", history)
    page.screenshot(path=SHOTS / "event-edited.png", full_page=True)

    # filter by type and date on the map
    go_to_map(page)
    stamp = map_ready(page)
    page.select_option("select[name=event_type]", "Battles")
    page.fill("input[name=since]", "2024-03-10")
    page.fill("input[name=until]", "2024-03-31")
    page.click("#filters button[type=submit]")
    stamp = map_ready(page, stamp)
    assert listed(page) == [("Battles", "Aleppo")]
    assert page.get_attribute("#map", "data-count") == "1"
    # the timeline keeps the other dates for context, shades the chosen period, and shows only battles
    assert [b.get_attribute("data-date") for b in page.query_selector_all("#timeline rect.bar")] == [
        "2024-03-03", "2024-03-18"]
    assert not page.query_selector_all("#timeline rect.bar:not([data-type=Battles])")
    assert page.query_selector("#timeline rect.selection")
    page.screenshot(path=SHOTS / "map-filtered.png", full_page=True)


def test_brushing_the_timeline_filters_the_map(page):
    sign_in(page, "viewer")
    stamp = map_ready(page)
    assert page.query_selector("header nav >> text=Upload") is None  # viewers cannot upload
    first = page.query_selector('#timeline rect.bar[data-date="2024-03-07"]').bounding_box()
    last = page.query_selector('#timeline rect.bar[data-date="2024-03-10"]').bounding_box()
    y = first["y"] + first["height"] / 2
    page.mouse.move(first["x"] - 1, y)
    page.mouse.down()
    page.mouse.move(last["x"] + last["width"] + 1, y, steps=5)
    page.mouse.up()
    stamp = map_ready(page, stamp)
    assert page.input_value("input[name=since]") == "2024-03-07"
    assert page.input_value("input[name=until]") == "2024-03-10"
    assert [location for _, location in listed(page)] == ["Hama", "Hama"]
    assert page.get_attribute("#map", "data-count") == "2"
    page.screenshot(path=SHOTS / "map-brushed.png", full_page=True)
    # viewers read the event page but get no review forms
    page.click("#events tbody tr a")
    page.wait_for_url(re.compile(r"/events/"))
    assert page.query_selector("#edit-form") is None


def test_batch_upload_of_files_shows_progress(page, tmp_path):
    sign_in(page)
    french = tmp_path / "idlib.html"
    french.write_text("<html><head><title>Idlib</title></head><body><p>Des affrontements ont opposé l'armée "
                      "syrienne aux rebelles à Idleb lundi, faisant quatre morts parmi les combattants, selon "
                      "l'OSDH.</p></body></html>", encoding="utf-8")
    english = tmp_path / "quiet.txt"
    english.write_text("Markets reopened in the invented town of Qasr al-Nur on Monday after a week of calm.",
                       encoding="utf-8")
    page.goto("/upload")
    page.set_input_files("input[name=files]", [str(french), str(english)])
    page.fill("input[name=publication_date]", "2024-03-19")
    page.click("#upload button[type=submit]")
    page.wait_for_selector("#progress[data-state=done]", timeout=90_000)
    assert page.inner_text("#status") == "2 of 2 reports · done"
    outcomes = page.inner_text("#outcomes")
    assert "idlib: added, 1 events" in outcomes and "quiet: added, 0 events" in outcomes
    assert page.get_attribute("#bar", "value") == "2"
    wait_for(page, "document.getElementById('found').textContent.includes('Idl')")
    page.screenshot(path=SHOTS / "upload-batch.png", full_page=True)


XSS = '</script><script>document.title="pwned"</script><img src=x onerror="alert(document.cookie)">'


def test_script_in_an_edited_field_never_runs(page):
    """The stored XSS the hostile tester found: an analyst's edit closing the event page's script block."""
    sign_in(page)
    map_ready(page)
    page.click('#events tbody tr[data-type="Protests"] a')
    page.wait_for_url(re.compile(r"/events/"))
    page.select_option("#edit-field", "location")
    page.fill("#edit-value", XSS)
    page.fill("#edit-reason", "hostile test")
    page.click("#edit-form button[type=submit]")
    page.wait_for_selector("p.ok")
    page.reload()
    assert page.inner_text('#fields tr[data-field="location"] td') == XSS  # shown as text
    page.select_option("#edit-field", "location")
    assert page.input_value("#edit-value") == XSS  # and handed to the form as data
    assert "pwned" not in page.title()
    assert page.evaluate("document.querySelectorAll('main img').length") == 0
    go_to_map(page)
    map_ready(page)
    assert XSS in page.inner_text("#events tbody")
    assert "pwned" not in page.title()
