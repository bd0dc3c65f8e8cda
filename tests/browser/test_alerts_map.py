"""From an area page to an alert, and an alert chosen by tapping the map (phone size, Korean)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from alerts.models import Subscription
from tests.factories import UserFactory

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
SHOTS = Path(os.environ.get("STAFF_SHOTS", "/tmp/shots-staff"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "correct horse battery staple"


@pytest.mark.browser
def test_alert_from_the_area_page_and_by_tapping_the_map(live_server, transactional_db):
    SHOTS.mkdir(parents=True, exist_ok=True)
    UserFactory(username="walker", email="walker@example.kr")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 390, "height": 844}, locale="ko-KR", is_mobile=True).new_page()
            page.set_default_timeout(15_000)
            page.goto(f"{live_server.url}/accounts/login/?next=/areas/11010/")
            page.fill("input[name=username]", "walker")
            page.fill("input[name=password]", PASSWORD)
            page.click("form[action='/accounts/login/'] button[type=submit]")
            page.click("#area-alerts")
            expect(page.locator("input[name=local_government]")).to_have_value("서울특별시 종로구 (11010)")

            # Tap the middle of the map (central Korea at the default view): the government there is filled in.
            page.fill("input[name=local_government]", "")
            page.locator("#alert-map").click()
            expect(page.locator("input[name=local_government]")).to_have_value(re.compile(r"^\S.* \(\d{5}\)$"))
            expect(page.locator("#alert-map-result")).to_contain_text("선택:")
            chosen = page.locator("input[name=local_government]").input_value()
            page.screenshot(path=str(SHOTS / "alerts-by-map.png"), full_page=True)
            page.locator("#subscribe-form button[type=submit]").click()
            expect(page.locator(".messages li")).to_have_count(1)
        finally:
            browser.close()
    subscription = Subscription.objects.get(user__username="walker")
    assert chosen.endswith(f"({subscription.local_government.code})")
