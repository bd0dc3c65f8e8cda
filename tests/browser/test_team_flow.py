"""A government administrator invites an officer by email; the officer follows the link, signs up,
accepts, opens a report, sees the answers and the map, and acknowledges it. Phone-sized, Korean."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect, sync_playwright

from reports.models import Question, Status
from staff.models import StaffRole
from tests.factories import CategoryFactory, QuestionFactory, UserFactory, make_report
from tests.staff.conftest import government

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
SHOTS = Path(os.environ.get("STAFF_SHOTS", "/tmp/shots-staff"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "correct horse battery staple"
PHONE = {"width": 390, "height": 844}


@pytest.mark.browser
def test_administrator_invites_an_officer_who_acknowledges_a_report(live_server, transactional_db, settings):
    settings.SITE_URL = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)
    admin = UserFactory(username="jongno-admin", email="admin@jongno.go.kr")
    StaffRole.objects.create(user=admin, local_government=government("11010"), role=StaffRole.Role.ADMINISTRATOR)
    category = CategoryFactory(name="도로 파손")
    QuestionFactory(category=category, code="size", description="파인 곳의 크기", datatype=Question.Datatype.SINGLEVALUELIST,
                    values=[{"key": "small", "name": "작음"}, {"key": "large", "name": "큼"}])
    report = make_report(category=category, answers={"size": "large"}, description="차도에 큰 구멍이 있어요")
    make_report(category=category, at=(126.9772, 37.5762), description="근처의 다른 신고")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            admin_page = browser.new_context(viewport=PHONE, locale="ko-KR", is_mobile=True).new_page()
            admin_page.set_default_timeout(15_000)
            admin_page.goto(f"{live_server.url}/accounts/login/?next=/staff/team/")
            admin_page.fill("input[name=username]", "jongno-admin")
            admin_page.fill("input[name=password]", PASSWORD)
            admin_page.click("form[action='/accounts/login/'] button[type=submit]")
            expect(admin_page.locator("h1")).to_contain_text("종로구")
            admin_page.fill("#invite-form input[name=email]", "new.officer@jongno.go.kr")
            admin_page.select_option("#invite-form select[name=role]", StaffRole.Role.STAFF)
            admin_page.click("#invite-form button[type=submit]")
            expect(admin_page.locator("#pending-invitations")).to_contain_text("new.officer@jongno.go.kr")
            admin_page.fill("#template-form input[name=title]", "접수 안내")
            admin_page.fill("#template-form textarea[name=text]", "확인했습니다. 이번 주에 보수하겠습니다.")
            admin_page.click("#template-form button[type=submit]")
            expect(admin_page.locator("#reply-templates")).to_contain_text("접수 안내")
            admin_page.screenshot(path=str(SHOTS / "team-page.png"), full_page=True)

            invitation = next(m for m in mail.outbox if m.to == ["new.officer@jongno.go.kr"])
            link = re.search(r"http://\S+/staff/invitations/[0-9a-f-]{36}/", invitation.body).group(0)

            page = browser.new_context(viewport=PHONE, locale="ko-KR", is_mobile=True).new_page()
            page.set_default_timeout(15_000)
            page.goto(link)
            expect(page.locator("h1")).to_contain_text("종로구")
            page.click("#signup-for-invitation")
            page.fill("input[name=username]", "new-officer")
            page.fill("input[name=email]", "new.officer@jongno.go.kr")
            page.fill("input[name=password1]", PASSWORD)
            page.fill("input[name=password2]", PASSWORD)
            page.check("input[name=consent]")
            page.screenshot(path=str(SHOTS / "signup-page.png"), full_page=True)
            page.locator("main form button[type=submit]").click()
            expect(page).to_have_url(re.compile(r"/accounts/reports/$"))
            page.goto(link)  # as the invitation page says: back to the link, now signed in
            page.click("#accept-invitation")
            row = page.locator(f"tr[data-report='{report.pk}']")
            expect(row).to_be_visible()
            page.screenshot(path=str(SHOTS / "queue-after-joining.png"), full_page=True)
            page.get_by_role("link", name="지도", exact=True).last.click()
            expect(page.locator("#queue-map .leaflet-overlay-pane .leaflet-interactive")).to_have_count(2)
            page.screenshot(path=str(SHOTS / "queue-map.png"), full_page=False)
            page.get_by_role("link", name="목록", exact=True).click()

            row.get_by_role("link", name=f"#{report.pk}").click()
            expect(page.locator("#answers")).to_contain_text("파인 곳의 크기")
            expect(page.locator("#answers")).to_contain_text("큼")
            expect(page.locator("#staff-report-map.leaflet-container")).to_be_visible()
            expect(page.locator("#staff-report-map .leaflet-overlay-pane .leaflet-interactive")).to_have_count(2)  # the report and its neighbour
            expect(page.locator("#nearby-reports")).to_contain_text("도로 파손")
            page.screenshot(path=str(SHOTS / "staff-report-page.png"), full_page=True)

            page.select_option("select[name=to_status]", Status.ACKNOWLEDGED)
            # The saved reply fills the public note, where it can still be edited.
            page.locator("form[action$='/status/'] select[name=reply_template]").select_option(label="접수 안내")
            expect(page.locator("#status-public_note")).to_have_value("확인했습니다. 이번 주에 보수하겠습니다.")
            page.locator("form[action$='/status/'] button[type=submit]").click()
            expect(page.locator("#report-status")).to_have_attribute("data-status", Status.ACKNOWLEDGED)
            expect(page.locator(".messages li")).to_have_count(1)
            page.screenshot(path=str(SHOTS / "staff-report-acknowledged.png"), full_page=False)
        finally:
            browser.close()

    officer = StaffRole.objects.get(user__username="new-officer")
    assert (officer.local_government.code, officer.role) == ("11010", StaffRole.Role.STAFF)
    report.refresh_from_db()
    assert report.status == Status.ACKNOWLEDGED
    event = report.events.get(to_status=Status.ACKNOWLEDGED)
    assert event.actor.username == "new-officer" and event.public_note == "확인했습니다. 이번 주에 보수하겠습니다."
