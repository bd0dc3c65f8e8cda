"""A resident reports; the routed government's officer is emailed, signs in, acknowledges it from the
queue with a public note; the public page shows it and the reporter is emailed."""

import os
import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect, sync_playwright

from notifications.worker import jobs_run_here
from reports.models import Status
from staff.models import StaffRole
from tests.factories import CategoryFactory, UserFactory, make_report
from tests.staff.conftest import government

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "correct horse battery staple"


@pytest.mark.browser
def test_staff_acknowledges_a_new_report(live_server, transactional_db, settings):
    settings.SITE_URL = live_server.url
    ARTIFACTS.mkdir(exist_ok=True)
    officer = UserFactory(username="jongno-officer", email="officer@jongno.go.kr")
    StaffRole.objects.create(user=officer, local_government=government("11010"), role=StaffRole.Role.STAFF)
    reporter = UserFactory(username="resident", email="resident@example.kr")

    report = make_report(category=CategoryFactory(name="가로등 고장"), reporter=reporter, description="가로등이 꺼져 있어요")

    jobs_run_here()  # what the worker does beside the server
    notices = [m for m in mail.outbox if m.to == ["officer@jongno.go.kr"]]
    assert len(notices) == 1
    staff_link = re.search(r"http://\S+/staff/reports/\d+/", notices[0].body).group(0)
    assert staff_link == f"{live_server.url}/staff/reports/{report.pk}/"

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(locale="ko-KR")
        try:
            page.goto(f"{live_server.url}/accounts/login/?next=/staff/")
            page.fill("input[name=username]", "jongno-officer")
            page.fill("input[name=password]", PASSWORD)
            page.click("form[action='/accounts/login/'] button[type=submit]")
            row = page.locator(f"tr[data-report='{report.pk}']")
            expect(row).to_be_visible()
            page.screenshot(path=str(ARTIFACTS / "staff-queue.png"), full_page=True)

            row.get_by_role("link").click()
            expect(page.locator("#reporter-contact")).to_contain_text("resident@example.kr")
            page.select_option("select[name=to_status]", Status.ACKNOWLEDGED)
            page.fill("textarea[name=public_note]", "현장을 확인하고 보수 일정을 잡았습니다")
            page.locator("form[action$='/status/'] button[type=submit]").click()
            expect(page.locator("#report-status")).to_have_attribute("data-status", Status.ACKNOWLEDGED)
            page.screenshot(path=str(ARTIFACTS / "staff-acknowledged.png"), full_page=True)

            page.goto(f"{live_server.url}/reports/{report.pk}/")
            expect(page.locator("#timeline")).to_contain_text("현장을 확인하고 보수 일정을 잡았습니다")
            page.screenshot(path=str(ARTIFACTS / "public-report-timeline.png"), full_page=True)
        finally:
            browser.close()

    report.refresh_from_db()
    assert report.status == Status.ACKNOWLEDGED
    jobs_run_here()
    to_reporter = [m for m in mail.outbox if m.to == ["resident@example.kr"]]
    assert len(to_reporter) == 1
    assert "현장을 확인하고 보수 일정을 잡았습니다" in to_reporter[0].body
    assert f"{live_server.url}/reports/{report.pk}/" in to_reporter[0].body
