"""The site on a network without internet (망분리): no page may load anything from another host.

Every request from Debian's chromium that is not for the live server is aborted and recorded;
a page that tries one fails the test. The maps must still show Korea: our own boundary tiles.
Also the home map at phone size, in Korean: count bubbles, legend, place search, popups.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from reports.models import Report
from tests.factories import JONGNO, CategoryFactory, make_report

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = Path(os.environ.get("MAP_SCREENSHOTS", Path(__file__).resolve().parents[2] / "test-artifacts"))


@pytest.fixture
def offline(live_server):
    """A phone-sized Korean page whose every request to another host is aborted and recorded."""
    from playwright.sync_api import sync_playwright

    own = urlsplit(live_server.url).netloc
    foreign: list[str] = []

    def guard(route):
        url = route.request.url
        if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).netloc != own:
            foreign.append(url)
            route.abort()
        else:
            route.continue_()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 375, "height": 812}, locale="ko-KR")
        context.set_default_timeout(15_000)
        context.route("**/*", guard)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        yield page, foreign, errors
        context.close()
        browser.close()


def boundaries_drawn(page) -> None:
    """Our boundary tiles are on the map: paths and names in the boundaries pane."""
    page.locator(".leaflet-boundaries-pane svg path").first.wait_for(state="attached")
    page.locator(".leaflet-boundaryLabels-pane .boundary-label span").first.wait_for(state="attached")


@pytest.mark.browser
def test_no_page_loads_anything_from_another_host(offline, live_server, transactional_db):
    page, foreign, errors = offline
    category = CategoryFactory(code="light", name="가로등 고장", name_en="Broken light")
    report = make_report(category=category, at=JONGNO)

    for path, check in [
        ("/", boundaries_drawn),
        ("/reports/new/", boundaries_drawn),
        (f"/reports/{report.pk}/", boundaries_drawn),
        ("/areas/11010/", boundaries_drawn),
        ("/api/docs/", lambda p: p.locator(".swagger-ui .info").first.wait_for()),
        ("/ogc/?f=html", lambda p: p.locator("h1").first.wait_for()),
    ]:
        page.goto(live_server.url + path)
        check(page)
        page.wait_for_load_state("networkidle")
        assert foreign == [], f"{path} tried another host: {foreign}"

    # The printable map is a download: open the file as it would be opened from a disk.
    html = page.request.get(f"{live_server.url}/exports/local_governments/11010/map.html").text()
    page.goto("about:blank")  # a fresh document: the site's Content-Security-Policy is not the file's
    page.set_content(html)
    page.locator(".leaflet-container path.leaflet-interactive").first.wait_for(state="attached")
    page.wait_for_load_state("networkidle")
    assert foreign == [], f"the printable map tried another host: {foreign}"
    assert errors == []


@pytest.mark.browser
def test_home_map_clusters_legend_search_and_popups(offline, live_server, transactional_db):
    page, foreign, errors = offline
    category = CategoryFactory(code="light", name="가로등 고장", name_en="Broken light")
    for i in range(4):
        make_report(category=category, at=(JONGNO[0] + i * 0.002, JONGNO[1]))
    # Three reports at one spot: they must spread out when tapped.
    for _ in range(3):
        make_report(category=category, at=(127.0245, 37.5725))
    assert Report.objects.count() == 7
    SHOTS.mkdir(parents=True, exist_ok=True)

    page.goto(live_server.url + "/")
    boundaries_drawn(page)
    legend = page.locator("#map-legend")
    assert "상태" in legend.inner_text() and "접수" in legend.inner_text()
    bubble = page.locator(".cluster-icon").first
    bubble.wait_for()
    assert bubble.bounding_box()["width"] >= 44 and bubble.bounding_box()["height"] >= 44
    zoom_in = page.locator(".leaflet-control-zoom-in")
    assert zoom_in.get_attribute("title") == "확대" and zoom_in.bounding_box()["height"] >= 44
    assert page.locator(".leaflet-control-zoom-out").get_attribute("title") == "축소"
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SHOTS / "home-clusters.png"), full_page=True)

    # Tapping a bubble zooms into it.
    with page.expect_request(re.compile(r"/map/reports\.json\?.*zoom=9")):
        bubble.click()

    # "Near me": a clear message when the browser refuses, the map moves when it allows.
    page.get_by_role("button", name="내 주변").click()
    page.wait_for_function("document.getElementById('near-me-status').textContent.includes('허용')")
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation({"latitude": JONGNO[1], "longitude": JONGNO[0]})
    with page.expect_request(re.compile(r"/map/reports\.json\?.*zoom=15")):
        page.get_by_role("button", name="내 주변").click()

    # One search box: "청운" finds 청운효자동; picking it frames the 읍면동 and shows its reports.
    page.get_by_label("장소 찾기").fill("청운")
    page.get_by_label("장소 찾기").press("Enter")
    result = page.get_by_role("button", name=re.compile("청운효자동"))
    result.wait_for()
    assert result.bounding_box()["height"] >= 44
    page.screenshot(path=str(SHOTS / "home-search-cheongun.png"))
    result.click()
    page.locator(".leaflet-overlay-pane path.leaflet-interactive").first.wait_for()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SHOTS / "home-search-result-map.png"), full_page=True)

    # A pin's popup: category, status, date, address and a link.
    popup = page.locator(".report-popup").last  # a closing popup fades out beside a reopened one
    for _attempt in range(3):  # a redraw may replace the marker between finding and tapping it
        box = page.locator("#report-map").bounding_box()
        pins = page.locator(".leaflet-overlay-pane path.leaflet-interactive")
        for i in range(pins.count()):
            pin = pins.nth(i).bounding_box()
            if pin and box["x"] + 50 < pin["x"] < box["x"] + box["width"] - 30 and box["y"] < pin["y"] < box["y"] + box["height"] - 30:
                page.mouse.click(pin["x"] + pin["width"] / 2, pin["y"] + pin["height"] / 2)
                break
        try:
            popup.wait_for(timeout=3000)
            break
        except Exception:  # noqa: BLE001 - Playwright's TimeoutError; tap again
            continue
    popup.wait_for()
    text = popup.inner_text()
    assert "가로등 고장" in text and "접수" in text and "종로구" in text and re.search(r"\d{4}-\d{2}-\d{2}", text)
    assert popup.get_by_role("link").bounding_box()["height"] >= 44
    page.wait_for_load_state("networkidle")  # opening it pans the map and reloads the reports
    page.wait_for_timeout(400)  # the popup's fade-in
    assert popup.is_visible(), "the popup closed when the map reloaded its reports"
    page.screenshot(path=str(SHOTS / "home-popup.png"), full_page=True)

    # Reports sharing one place spread out when their bubble is tapped.
    page.evaluate("window.dongneMap.setView([37.5725, 127.0245], 17)")
    together = page.locator(".leaflet-marker-icon.cluster-icon[title*='3건']")
    together.wait_for()
    before = page.locator(".leaflet-overlay-pane path.leaflet-interactive").count()
    together.click()
    page.wait_for_function(
        f"document.querySelectorAll('.leaflet-overlay-pane path.leaflet-interactive').length >= {before + 3}"
    )
    page.screenshot(path=str(SHOTS / "home-spread.png"), full_page=True)
    assert foreign == [] and errors == []
