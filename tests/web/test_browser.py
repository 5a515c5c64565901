"""The map page in a real browser: Debian's chromium, headless, driven by Playwright against
a uvicorn server on a free localhost port (never a downloaded browser build)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run",
               "--enable-unsafe-swiftshader"]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed and could not be: run tools/ensure_chromium.sh")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: object, live_server: str) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})  # type: ignore[attr-defined]
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    opened.errors = errors
    yield opened
    context.close()


def _route_to_hamburg(page: object, live_server: str) -> None:
    page.goto(live_server)  # type: ignore[attr-defined]
    page.wait_for_selector("body[data-ready='true']", timeout=30_000)  # type: ignore[attr-defined]
    page.fill("#to", "Hamburg")  # type: ignore[attr-defined]
    page.select_option("#by", "time")  # type: ignore[attr-defined]
    page.select_option("#month", "1")  # type: ignore[attr-defined]
    page.click("#route-button")  # type: ignore[attr-defined]
    page.wait_for_selector("body[data-route-state='done']", timeout=30_000)  # type: ignore[attr-defined]


def test_route_harbin_hamburg_is_drawn_and_tabled_and_follows_the_month(
    page: object, live_server: str
) -> None:
    _route_to_hamburg(page, live_server)
    p = page  # type: ignore[assignment]
    # The route is drawn: features in the route source, rendered on the map's canvas.
    p.wait_for_function("Number(document.getElementById('map').dataset.routeFeatures) > 0")
    p.wait_for_function("window.amur.map.loaded()")
    rendered = p.evaluate(
        "window.amur.map.queryRenderedFeatures({layers: ['route-line']}).length")
    assert rendered > 0
    assert p.evaluate("window.amur.map.queryRenderedFeatures({layers: ['links-operating']})"
                      ".length") > 0
    # The leg table is filled, with units in its header; in January the Amur is crossed on
    # the ice at Heihe.
    headers = p.locator("#legs-table thead th").all_inner_texts()
    assert "km" in headers and "hours" in headers and "USD/TEU" in headers
    legs = p.locator("#legs-table tbody tr").all_inner_texts()
    assert any("Harbin" in row for row in legs)
    assert any("ice road" in row for row in legs)
    assert "Heihe" in p.locator("#routes-table tbody tr").first.inner_text()
    # April: the ice is gone and the ferry not yet running, so the best route changes.
    p.select_option("#month", "4")
    p.wait_for_function("document.getElementById('status').textContent.includes('April')")
    p.wait_for_selector("body[data-route-state='done']")
    first = p.locator("#routes-table tbody tr").first.inner_text()
    assert "Manzhouli" in first and "Heihe" not in first
    assert not any("ice road" in row for row in p.locator("#legs-table tbody tr").all_inner_texts())
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "harbin-hamburg.png"
    p.screenshot(path=str(shot))
    print(f"screenshot: {shot}")
    assert shot.stat().st_size > 10_000
    assert p.errors == []


def test_unknown_place_is_shown_as_an_error_naming_the_field(page: object,
                                                             live_server: str) -> None:
    p = page  # type: ignore[assignment]
    p.goto(live_server)
    p.wait_for_selector("body[data-ready='true']", timeout=30_000)
    p.fill("#to", "Atlantis")
    p.click("#route-button")
    p.wait_for_selector("body[data-route-state='error']")
    assert "Atlantis" in p.inner_text("#status")
    assert p.get_attribute("#to", "aria-invalid") == "true"


def test_place_search_fills_the_datalist_as_you_type(page: object, live_server: str) -> None:
    p = page  # type: ignore[assignment]
    p.goto(live_server)
    p.wait_for_selector("body[data-ready='true']", timeout=30_000)
    p.fill("#to", "")
    p.type("#to", "Vla")
    p.wait_for_function("document.querySelectorAll('#places-list option').length > 0")
    assert p.eval_on_selector_all("#places-list option", "os => os.map(o => o.value)") == [
        "Vladivostok"]


def test_the_page_makes_no_request_off_this_machine(browser: object, live_server: str) -> None:
    context = browser.new_context()  # type: ignore[attr-defined]
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    # Cut the network off: any request not to the amur server is aborted.
    server = urlsplit(live_server).netloc
    context.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).netloc
                  == server else route.abort())
    p = context.new_page()
    _route_to_hamburg(p, live_server)
    p.wait_for_function("window.amur.map.loaded()")
    context.close()
    assert requests, "the page made no request at all"
    elsewhere = [url for url in requests
                 if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).netloc != server]
    assert elsewhere == []
    assert any(url.endswith("/static/countries.geojson") for url in requests)
    assert any("/static/maplibre-gl-worker.js" in url for url in requests)
