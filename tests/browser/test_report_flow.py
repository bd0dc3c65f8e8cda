"""A resident files a report end to end in Debian's chromium at phone size, in Korean."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.core import mail
from PIL import Image

from notifications.worker import jobs_run_here
from reports.models import Question, Report
from tests.factories import CategoryFactory, QuestionFactory

# Playwright's sync API runs an event loop in this thread; Django's ORM calls here are safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def page(live_server):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 375, "height": 812}, locale="ko-KR")
        context.set_default_timeout(15_000)
        page = context.new_page()
        yield page
        context.close()
        browser.close()


@pytest.mark.browser
def test_resident_reports_a_pothole(page, live_server, transactional_db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    category = CategoryFactory(code="pothole", name="도로 파손·포트홀", name_en="Pothole", group="도로")
    QuestionFactory(
        category=category, code="size", datatype=Question.Datatype.SINGLEVALUELIST, required=True,
        description="크기는 어느 정도인가요?", description_en="How big is it?",
        values=[{"key": "small", "name": "손바닥 크기"}, {"key": "large", "name": "차로 절반 이상"}],
    )
    QuestionFactory(category=category, code="depth_cm", datatype=Question.Datatype.NUMBER, description="깊이(cm)")
    photo = tmp_path / "pothole.jpg"
    Image.new("RGB", (320, 240), (90, 90, 90)).save(photo, "JPEG")

    page.goto(f"{live_server.url}/reports/new/")
    assert page.locator("html").get_attribute("lang") == "ko"

    # Pin by the keyboard-friendly place search, then nudge it with the arrow keys.
    page.get_by_label("읍면동 검색").fill("청운효자동")
    page.get_by_label("읍면동 검색").press("Enter")
    page.get_by_role("button", name=re.compile("청운효자동")).click()
    page.locator("#routed-government").wait_for()
    assert page.locator("#routed-government").inner_text() == "종로구"
    lon_before = float(page.locator("#id_lon").input_value())
    page.locator("#pin-map").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"Number(document.getElementById('id_lon').value) > {lon_before}")
    page.locator("#routed-government").wait_for()
    assert page.locator("#routed-government").inner_text() == "종로구"

    page.get_by_label("분류").select_option("pothole")
    questions = page.locator('fieldset.questions[data-category="pothole"]')
    assert questions.is_visible()
    questions.get_by_label("차로 절반 이상").check()
    page.get_by_label("깊이(cm)").fill("12")
    page.get_by_label(re.compile("^설명")).fill("<b>큰 구멍</b>이 있어 자전거가 넘어질 뻔했어요.")
    page.set_input_files("#id_photos", str(photo))
    page.get_by_label(re.compile("^이메일")).fill("resident@example.kr")
    page.locator("#id_consent").check()
    page.screenshot(path=str(ARTIFACTS / "report-form-filled.png"), full_page=True)

    page.get_by_role("button", name="신고 보내기").click()
    page.wait_for_url(re.compile(r"/reports/sent/$"))
    assert "이메일을 확인하세요" in page.content()
    page.screenshot(path=str(ARTIFACTS / "report-check-email.png"), full_page=True)

    report = Report.objects.get()
    assert report.confirmed_at is None and report.photos.count() == 1
    assert report.answers == {"size": "large", "depth_cm": 12}
    jobs_run_here()  # what the worker does beside the server
    link = re.search(r"/reports/confirm/[0-9a-f-]+/", mail.outbox[-1].body).group(0)
    page.goto(f"{live_server.url}{link}")
    page.wait_for_url(re.compile(rf"/reports/{report.pk}/$"))
    assert page.locator("#report-government").inner_text() == "종로구"
    assert "큰 구멍이 있어 자전거가 넘어질 뻔했어요." in page.locator(".description").inner_text()
    assert page.locator("#timeline li").count() == 1
    assert "resident@example.kr" not in page.content()
    page.screenshot(path=str(ARTIFACTS / "report-page.png"), full_page=True)
