"""A municipal officer of 전주시 finds 수원시's barrier-free model in the catalogue (Debian's chromium,
Korean), reads its evidence, map and lineage, and adopts it for 전주시 in one step; the model's
page then shows both cities."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect, sync_playwright

from reports.models import Category
from staff.models import StaffRole
from standard_models.models import Adoption
from tests.browser.test_campaign_flow import log_in
from tests.browser.test_report_flow import ARTIFACTS, CHROMIUM_ARGS
from tests.standard_models.conftest import JEONJU, SUWON, publish_suwon_model, staff_of, suwon_campaign

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture
def model(transactional_db):
    officer = staff_of(SUWON, username="suwon-officer")
    moderator = staff_of("11010", role=StaffRole.Role.MODERATOR, username="moderator")
    staff_of(JEONJU, username="jeonju-officer")
    return publish_suwon_model(officer=officer, campaign=suwon_campaign(officer), moderator=moderator).model


@pytest.mark.browser
def test_an_officer_finds_a_model_and_adopts_it(live_server, model):
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
            context.set_default_timeout(15_000)
            page = context.new_page()
            errors, foreign = [], []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("request", lambda request: foreign.append(request.url) if not request.url.startswith(base) else None)
            page.on("console", lambda message: errors.append(message.text) if "Content Security Policy" in message.text else None)
            log_in(page, base, "jeonju-officer", "/models/")

            # Find it: words and the region of its origin (경기도).
            page.get_by_label("검색").fill("무장애")
            page.get_by_label("지역").select_option("31")
            page.get_by_role("button", name="검색").click()
            card = page.locator('[data-model="suwon-barrier-free"]')
            expect(card).to_contain_text("0개 지자체가 도입")
            card.get_by_role("link", name="수원시 무장애 지도").click()
            page.wait_for_url(re.compile(r"/models/suwon-barrier-free/$"))
            expect(page.locator("#model-tier")).to_contain_text("기록됨")
            expect(page.locator("#model-map")).to_have_attribute("data-markers", "1")

            # Adopt it in one step.
            page.get_by_label("도입하는 지자체").select_option(JEONJU)
            page.get_by_label("시작일").fill("2026-12-01")
            page.screenshot(path=str(ARTIFACTS / "model-page.png"), full_page=True)
            page.get_by_role("button", name="도입", exact=True).click()
            page.wait_for_url(re.compile(r"/campaigns/suwon-barrier-free-35010/$"))
            expect(page.locator(".messages")).to_contain_text("전주시에서 수원시 무장애 지도를 도입했습니다")
            expect(page.locator("h1")).to_contain_text("전주시 무장애 지도")

            # The model's page shows both cities, on the map and in the lineage.
            page.goto(f"{base}/models/suwon-barrier-free/")
            expect(page.locator("#adopted-count")).to_contain_text("1개 지자체가 도입")
            expect(page.locator("#model-map")).to_have_attribute("data-markers", "2")
            expect(page.locator('.lineage [data-government="35010"]')).to_contain_text("전주시")
            expect(page.locator("#adopt")).to_have_count(0)  # 전주시 runs it now
            page.screenshot(path=str(ARTIFACTS / "model-adopted.png"), full_page=True)
            assert not errors, errors
            assert not foreign, foreign
        finally:
            browser.close()
    adoption = Adoption.objects.get()
    assert adoption.government.code == JEONJU and str(adoption.starts_on) == "2026-12-01"
    assert Category.objects.filter(code="step-free-access-35010", local_government__code=JEONJU).exists()
