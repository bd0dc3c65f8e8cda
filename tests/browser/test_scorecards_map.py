"""The national scorecard's choropleth in a real browser: colours, legend, and a government's link."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright

from reports.models import Report
from reports.services import report_change_status
from scorecards.services import scorecards_refresh
from tests.factories import HAEUNDAE, JONGNO, CategoryFactory, make_report

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
SHOTS = Path(os.environ.get("STAFF_SHOTS", "/tmp/shots-staff"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.mark.browser
def test_choropleth_colours_any_indicator_and_links_to_the_government(live_server, transactional_db):
    SHOTS.mkdir(parents=True, exist_ok=True)
    category = CategoryFactory(sla_days=7)
    for at, days in ((JONGNO, 1), (JONGNO, 2), (HAEUNDAE, 9)):
        report = make_report(category=category, at=at, created_at=timezone.now() - timedelta(days=20))
        report_change_status(report=report, to_status="closed", outcome="resolved")
        Report.objects.filter(pk=report.pk).update(closed_at=report.created_at + timedelta(days=days))
    scorecards_refresh()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR").new_page()
            page.set_default_timeout(30_000)
            other_hosts = []
            page.on("request", lambda request: other_hosts.append(request.url) if not request.url.startswith(live_server.url) and not request.url.startswith("data:") else None)
            page.goto(f"{live_server.url}/scorecards/")
            choropleth = page.locator("#choropleth")
            expect(choropleth).to_have_attribute("data-features", "226")
            expect(page.locator("#choropleth .leaflet-overlay-pane path")).to_have_count(226)
            legend = page.locator(".choropleth-legend")
            expect(legend).to_contain_text("목표 기한 안에 종결된 비율")
            expect(legend).to_contain_text("값 없음")
            # One class a value here (0 % and 100 %), each labelled by the values it holds.
            expect(legend).to_contain_text("0.0%")
            assert "0.0% – 100.0%" not in legend.inner_text()
            # Only 종로구 and 해운대구 have a value: two filled colours, the rest grey.
            fills = page.eval_on_selector_all("#choropleth .leaflet-overlay-pane path", "paths => paths.map(p => p.getAttribute('fill'))")
            assert fills.count("#d9d9d9") == 224 and len(set(fills)) == 3
            page.screenshot(path=str(SHOTS / "scorecards-choropleth.png"))

            page.select_option("#choropleth-indicator", "reports_received")
            expect(choropleth).to_have_attribute("data-indicator", "reports_received")
            expect(page.locator("#choropleth-definition")).to_have_attribute("href", "/scorecards/methods/#reports_received")
            expect(legend).to_contain_text("접수된 신고")

            page.select_option("#choropleth-layer", "province")
            expect(page.locator("#choropleth .leaflet-overlay-pane path")).to_have_count(17)
            page.select_option("#choropleth-layer", "municipal")
            expect(page.locator("#choropleth .leaflet-overlay-pane path")).to_have_count(226)

            # Tap 종로구 (each boundary carries its code): its popup links to its page.
            page.locator('#choropleth path[data-code="11010"]').dispatch_event("click")
            expect(page.locator(".leaflet-popup")).to_contain_text("종로구")
            link = page.locator(".leaflet-popup a.choropleth-link")
            expect(link).to_have_attribute("href", "/scorecards/11010/")
            link.dispatch_event("click")  # the synthetic tap opened the popup at the map's corner, under the zoom buttons
            page.wait_for_url(f"{live_server.url}/scorecards/11010/")
            expect(page.locator("h1")).to_contain_text("종로구")
            assert other_hosts == []
        finally:
            browser.close()
