"""A mapping campaign in Debian's chromium at phone size, in Korean: a volunteer maps three entries
(one with a photo; a tap on the map, the device's location, typed coordinates), a validator approves
two and sends one back; an organiser turns an entry into a report and the dashboard counts it."""

from __future__ import annotations

import os
import re

import pytest
from PIL import Image
from playwright.sync_api import expect, sync_playwright

from campaigns.models import CampaignMember, Entry, EntryStatus
from campaigns.services import campaign_member_add
from reports.models import Report, Status
from reports.services import report_change_status
from tests.browser.test_report_flow import ARTIFACTS, CHROMIUM_ARGS
from tests.campaigns.conftest import grid_square, make_campaign, staff_of
from tests.factories import CategoryFactory, UserFactory

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
PASSWORD = "correct horse battery staple"
PHONE = {"width": 375, "height": 812}
# Collects every Content-Security-Policy violation of the page, from its first script on.
LISTEN_CSP = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) { window.__violations.push(e.violatedDirective + " " + e.blockedURI); });
"""


def log_in(page, base: str, username: str, next_url: str) -> None:
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_url(re.compile(re.escape(next_url) + "$"))


@pytest.fixture
def square_campaign(transactional_db):
    organiser = staff_of("11010", username="organiser")
    square, centres = grid_square(cells=2)
    campaign = make_campaign(actor=organiser, slug="jongno-ramps", coverage_unit="grid", drawn_area=square.geojson)
    validator = UserFactory(username="validator")
    campaign_member_add(campaign=campaign, actor=organiser, user=validator, role=CampaignMember.Role.VALIDATOR)
    UserFactory(username="volunteer")
    return campaign, centres


@pytest.mark.browser
def test_volunteers_map_on_a_phone_and_a_validator_reviews(live_server, square_campaign, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    campaign, centres = square_campaign
    photo = tmp_path / "ramp.jpg"
    Image.new("RGB", (320, 240), (120, 160, 90)).save(photo, "JPEG")
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport=PHONE, locale="ko-KR", has_touch=True, is_mobile=True)
            context.set_default_timeout(15_000)
            context.add_init_script(LISTEN_CSP)
            # No page may load anything from another host (no CDN): such requests are recorded and refused.
            foreign = []

            def only_ours(route):
                if route.request.url.startswith(base):
                    route.continue_()
                else:
                    foreign.append(route.request.url)
                    route.abort()

            context.route("**/*", only_ours)
            page = context.new_page()
            errors = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            log_in(page, base, "volunteer", "/campaigns/jongno-ramps/")
            assert page.locator("html").get_attribute("lang") == "ko"
            page.get_by_role("link", name="항목 지도에 올리기").click()
            page.wait_for_url(re.compile(r"/entries/new/$"))

            # 1. A tap on the map, with a photo.
            # The campaign's area is drawn and the map has settled on it (under load the fit to the
            # area can still be animating, and a tap would land in the country-wide view).
            page.wait_for_function("""() => {
                const map = document.querySelector('#pin-map');
                const box = map.getBoundingClientRect();
                const paths = [...map.querySelectorAll('.leaflet-overlay-pane path')];  // one per unit
                if (!paths.length || map.classList.contains('leaflet-zoom-anim')) return false;
                const x = box.left + 140, y = box.top + 150;
                return paths.some((path) => {
                    const area = path.getBoundingClientRect();
                    return area.left < x && x < area.right && area.top < y && y < area.bottom;
                });
            }""")
            page.locator("#pin-map").click(position={"x": 140, "y": 150})
            expect(page.locator("#location-status")).to_have_text("핀을 놓았습니다.")
            page.get_by_label("계단").check()
            page.get_by_label("문 폭(cm)").fill("80")
            page.set_input_files("#id_answer-photo", str(photo))
            page.screenshot(path=str(ARTIFACTS / "campaign-entry-form.png"), full_page=True)
            page.get_by_role("button", name="항목 저장").click()
            expect(page.locator(".messages")).to_contain_text("검수를 기다립니다")

            # 2. The device's location.
            context.grant_permissions(["geolocation"])
            context.set_geolocation({"longitude": centres[1][0], "latitude": centres[1][1]})
            page.get_by_label("장애인 화장실").check()
            page.get_by_role("button", name="내 위치 쓰기").click()
            expect(page.locator("#id_lat")).not_to_have_value("")
            page.get_by_label("경사로").check()
            page.get_by_role("button", name="항목 저장").click()
            expect(page.locator(".messages")).to_contain_text("검수를 기다립니다")

            # 3. Typed coordinates.
            page.locator("details.coordinates summary").click()
            page.fill("#id_lat", f"{centres[2][1]:.6f}")
            page.fill("#id_lon", f"{centres[2][0]:.6f}")
            page.get_by_label("턱 없음").check()
            page.get_by_role("button", name="항목 저장").click()
            expect(page.locator(".messages")).to_contain_text("검수를 기다립니다")
            assert errors == [] and page.evaluate("window.__violations") == [] and foreign == []
            context.close()

            entries = list(Entry.objects.order_by("id"))
            assert len(entries) == 3 and all(e.status == EntryStatus.SUBMITTED for e in entries)
            assert [e.entry_type for e in entries] == ["shop", "toilet", "shop"]
            assert entries[0].photos.count() == 1 and entries[0].answers["width_cm"] == 80
            assert len({e.unit_id for e in entries}) == 3

            # The validator approves two and sends one back.
            context = browser.new_context(viewport=PHONE, locale="ko-KR", has_touch=True, is_mobile=True)
            context.set_default_timeout(15_000)
            context.add_init_script(LISTEN_CSP)
            page = context.new_page()
            log_in(page, base, "validator", "/campaigns/jongno-ramps/review/")
            expect(page.locator("article.entry-card")).to_have_count(3)
            page.screenshot(path=str(ARTIFACTS / "campaign-review.png"), full_page=True)
            for entry in entries[:2]:
                page.locator(f"article[data-entry='{entry.pk}'] .validate-button").click()
                expect(page.locator(".messages")).to_contain_text("승인했습니다")
            card = page.locator(f"article[data-entry='{entries[2].pk}']")
            card.locator("textarea[name=reason]").fill("입구 사진을 찍어 주세요")
            card.locator(".send-back-button").click()
            expect(page.locator("#queue-empty")).to_be_visible()

            page.goto(f"{base}/campaigns/jongno-ramps/")
            expect(page.locator("#coverage-share")).to_have_text("50%")
            expect(page.locator("#campaign-map")).to_have_attribute("data-entries", "3")
            expect(page.locator("#campaign-map .entry-marker")).to_have_count(3)
            assert page.evaluate("window.__violations") == []
            page.screenshot(path=str(ARTIFACTS / "campaign-page.png"), full_page=True)
            context.close()
        finally:
            browser.close()
    statuses = [Entry.objects.get(pk=e.pk).status for e in entries]
    assert statuses == [EntryStatus.VALIDATED, EntryStatus.VALIDATED, EntryStatus.NEEDS_WORK]
    assert Entry.objects.get(pk=entries[2].pk).events.get(action="sent_back").reason == "입구 사진을 찍어 주세요"


@pytest.mark.browser
def test_an_organiser_turns_an_entry_into_a_report_and_the_dashboard_counts_it(live_server, square_campaign):
    from campaigns.services import entry_submit

    campaign, centres = square_campaign
    CategoryFactory(code="curb", name="보도 턱", sla_days=10)
    volunteer = UserFactory(username="volunteer")
    entry = entry_submit(campaign=campaign, author=volunteer, entry_type="shop", lon=centres[0][0], lat=centres[0][1],
                         answers={"entrance": "step", "contact": "010-5555-0000"})
    base = live_server.url
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport=PHONE, locale="ko-KR")
            context.set_default_timeout(15_000)
            page = context.new_page()
            log_in(page, base, "organiser", "/campaigns/jongno-ramps/organise/")
            card = page.locator(f"article[data-entry='{entry.pk}']")
            card.get_by_label("신고로 보내기: 분류").select_option(label="보도 턱")
            card.locator(".report-button").click()
            expect(page.locator(".messages")).to_contain_text("종로구")
            expect(card.locator(".entry-report-link")).to_be_visible()
            page.screenshot(path=str(ARTIFACTS / "campaign-organise.png"), full_page=True)

            page.goto(f"{base}/campaigns/jongno-ramps/")
            expect(page.locator("#report-count")).to_have_text("1")
            expect(page.locator("dd[data-report-status='submitted']")).to_have_text("1")

            report = Report.objects.get()
            assert report.local_government.code == "11010" and (report.due_at - report.created_at).days == 10
            assert "010-5555-0000" not in report.description
            report_change_status(report=report, to_status=Status.CLOSED, outcome="resolved")
            page.reload()
            expect(page.locator("dd[data-report-status='closed']")).to_have_text("1")
            expect(page.locator("#median-days")).to_have_text("0.0")
            page.screenshot(path=str(ARTIFACTS / "campaign-dashboard.png"), full_page=True)
            # The public report page never shows the private answer.
            page.goto(f"{base}/reports/{report.pk}/")
            assert "010-5555-0000" not in page.content()
            context.close()
        finally:
            browser.close()
    entry.refresh_from_db()
    assert entry.report_id == report.pk
