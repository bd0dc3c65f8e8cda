"""The campaign pages: list, campaign page and its map data, the entry form, the validators' queue,
the organiser's tools; bad input answers a clear message (never a 500) and saves nothing."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.models import Campaign, CampaignMember, Entry, EntryStatus
from campaigns.services import entry_submit, entry_to_report, entry_validate
from reports.models import Report
from tests.campaigns.conftest import JONGNO_POINT, OUTSIDE_JONGNO, grid_square, make_campaign
from tests.factories import CategoryFactory, UserFactory, photo_upload

pytestmark = pytest.mark.django_db


def post_entry(client, campaign, at=JONGNO_POINT, **extra):
    data = {"entry_type": "shop", "lon": str(at[0]), "lat": str(at[1]), "answer-entrance": "step", "answer-width_cm": "90",
            "answer-note": "문턱이 높아요", "answer-contact": "010-1234-5678"}
    data.update(extra)
    return client.post(f"/campaigns/{campaign.slug}/entries/new/", data)


def test_the_list_groups_campaigns_by_window(client, organiser):
    now = timezone.now()
    make_campaign(actor=organiser)
    make_campaign(actor=organiser, slug="soon", title="곧 열리는 지도", starts_at=now + timedelta(days=3), ends_at=now + timedelta(days=4))
    make_campaign(actor=organiser, slug="done", title="지난 지도", starts_at=now - timedelta(days=9), ends_at=now - timedelta(days=8))
    page = client.get("/campaigns/").content.decode()
    opened, upcoming, closed = page.index("campaigns-open"), page.index("campaigns-upcoming"), page.index("campaigns-closed")
    assert opened < page.index("종로 무장애 지도") < upcoming < page.index("곧 열리는 지도") < closed < page.index("지난 지도")


def test_a_volunteer_maps_an_entry_through_the_form(client, campaign, mapper, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert client.get(f"/campaigns/{campaign.slug}/entries/new/").status_code == 302  # sign in first
    client.force_login(mapper)
    form = client.get(f"/campaigns/{campaign.slug}/entries/new/")
    assert form.status_code == 200 and "입구 형태" in form.content.decode()
    response = post_entry(client, campaign, **{"answer-photo": photo_upload()})
    assert response.status_code == 302
    entry = Entry.objects.get()
    assert entry.author == mapper and entry.answers["width_cm"] == 90 and entry.photos.count() == 1


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"lon": str(OUTSIDE_JONGNO[0]), "lat": str(OUTSIDE_JONGNO[1])}, "outside_campaign_area"),
        ({"answer-entrance": "lift"}, "invalid"),
        ({"answer-width_cm": "넓음"}, "invalid"),
        ({"lon": "abc"}, "invalid_location"),
        ({"entry_type": "<script>"}, "unknown_entry_type"),
    ],
)
def test_bad_entries_answer_a_clear_message_and_save_nothing(client, campaign, mapper, extra, code):
    client.force_login(mapper)
    response = post_entry(client, campaign, **extra)
    assert response.status_code == 400
    assert f'data-error-code="{code}"' in response.content.decode()
    assert not Entry.objects.exists()


def test_a_closed_campaign_and_an_invited_one_say_so(client, organiser, mapper):
    now = timezone.now()
    over = make_campaign(actor=organiser, slug="over", starts_at=now - timedelta(days=3), ends_at=now - timedelta(days=2))
    invited = make_campaign(actor=organiser, slug="invited", participation="invited")
    client.force_login(mapper)
    assert 'id="not-open"' in client.get("/campaigns/over/entries/new/").content.decode()
    assert 'id="not-invited"' in client.get("/campaigns/invited/entries/new/").content.decode()
    assert post_entry(client, over).status_code == 400 and post_entry(client, invited).status_code == 400
    assert not Entry.objects.exists()


def test_validators_review_in_the_queue_but_never_their_own(client, campaign, validator, mapper):
    theirs = entry_submit(campaign=campaign, author=mapper, entry_type="shop", lon=JONGNO_POINT[0], lat=JONGNO_POINT[1], answers={"entrance": "flat"})
    own = entry_submit(campaign=campaign, author=validator, entry_type="shop", lon=JONGNO_POINT[0], lat=JONGNO_POINT[1], answers={"entrance": "flat"})
    client.force_login(mapper)
    assert client.get(f"/campaigns/{campaign.slug}/review/").status_code == 403
    assert client.post(f"/campaigns/{campaign.slug}/entries/{theirs.pk}/validate/").status_code in (302, 303)
    theirs.refresh_from_db()
    assert theirs.status == EntryStatus.SUBMITTED  # a mapper is refused
    client.force_login(validator)
    page = client.get(f"/campaigns/{campaign.slug}/review/").content.decode()
    assert f'data-entry="{own.pk}"' in page and "own-entry" in page
    client.post(f"/campaigns/{campaign.slug}/entries/{own.pk}/validate/")
    own.refresh_from_db()
    assert own.status == EntryStatus.SUBMITTED
    client.post(f"/campaigns/{campaign.slug}/entries/{theirs.pk}/send-back/", {"reason": "사진이 흐려요"})
    theirs.refresh_from_db()
    assert theirs.status == EntryStatus.NEEDS_WORK
    # The author sees why and resubmits.
    client.force_login(mapper)
    page = client.get(f"/campaigns/{campaign.slug}/entries/{theirs.pk}/resubmit/").content.decode()
    assert "사진이 흐려요" in page
    client.post(f"/campaigns/{campaign.slug}/entries/{theirs.pk}/resubmit/", {"answer-entrance": "ramp"})
    theirs.refresh_from_db()
    assert theirs.status == EntryStatus.RESUBMITTED and theirs.answers == {"entrance": "ramp"}


def test_an_organiser_invites_marks_priority_hides_and_reports(client, campaign, organiser, mapper):
    category = CategoryFactory(name="보도 턱")
    entry = entry_submit(campaign=campaign, author=mapper, entry_type="shop", lon=JONGNO_POINT[0], lat=JONGNO_POINT[1], answers={"entrance": "step"})
    client.force_login(organiser)
    client.post(f"/campaigns/{campaign.slug}/organise/members/", {"person": mapper.email, "role": "validator", "team": "A조"})
    assert CampaignMember.objects.get(user=mapper).role == "validator"
    unit = campaign.units.first()
    client.post(f"/campaigns/{campaign.slug}/organise/units/{unit.pk}/priority/", {"priority": "1"})
    unit.refresh_from_db()
    assert unit.priority
    response = client.post(f"/campaigns/{campaign.slug}/entries/{entry.pk}/report/", {"category": "9999999", "next": "organise"})
    assert response.status_code == 303 and not Report.objects.exists()
    client.post(f"/campaigns/{campaign.slug}/entries/{entry.pk}/report/", {"category": str(category.pk), "next": "organise"})
    entry.refresh_from_db()
    assert entry.report.local_government.code == "11010"
    client.post(f"/campaigns/{campaign.slug}/entries/{entry.pk}/hide/", {"reason": "", "next": "organise"})
    entry.refresh_from_db()
    assert not entry.is_hidden
    client.post(f"/campaigns/{campaign.slug}/entries/{entry.pk}/hide/", {"reason": "중복", "next": "organise"})
    entry.refresh_from_db()
    assert entry.is_hidden
    page = client.get(f"/campaigns/{campaign.slug}/").content.decode()
    assert 'id="report-count">1<' in page


def test_staff_open_a_campaign_from_the_page(client, organiser):
    client.force_login(organiser)
    page = client.get("/campaigns/new/").content.decode()
    assert "gov:11010" in page
    square, _centres = grid_square(cells=2)
    data = {
        "title": "골목 안전 지도", "slug": "alley-safety", "theme": "safety", "description": "", "organiser": "gov:11010",
        "governments": "", "drawn_area": square.geojson, "starts_at": "2026-01-01T09:00", "ends_at": "2030-01-01T18:00",
        "participation": "open", "coverage_unit": "grid",
        "form_fields": json.dumps([{"key": "dark", "label": "어두운가요", "datatype": "singlevaluelist", "public": True, "values": ["yes", "no"]}]),
        "entry_types": json.dumps([{"key": "alley", "label": "골목", "colour": "#333333", "icon": "!"}]),
    }
    response = client.post("/campaigns/new/", data)
    assert response.status_code == 302
    assert Campaign.objects.get(slug="alley-safety").units.count() == 4
    response = client.post("/campaigns/new/", data | {"slug": "alley-2", "entry_types": "[{"})
    assert response.status_code == 400 and not Campaign.objects.filter(slug="alley-2").exists()
    response = client.post("/campaigns/new/", data | {"slug": "alley-3", "organiser": "gov:21090"})
    assert response.status_code == 400  # not their government
    assert Campaign.objects.count() == 1
    client.force_login(UserFactory())
    assert client.get("/campaigns/new/").status_code == 403


def test_the_map_data_and_map_next(client, campaign, organiser, mapper):
    entry = entry_submit(campaign=campaign, author=mapper, entry_type="toilet", lon=JONGNO_POINT[0], lat=JONGNO_POINT[1],
                         answers={"entrance": "flat", "contact": "010-1234-5678"})
    entry_validate(entry=entry, actor=organiser)
    data = client.get(f"/campaigns/{campaign.slug}/map.json").json()
    assert data["coverage"] == {"units": 17, "covered": 1, "share": round(1 / 17, 4)}
    assert data["entries"][0]["answers"] == {"entrance": "flat"} and "author" not in data["entries"][0]
    assert len(data["units"]["features"]) == 17
    assert sum(f["properties"]["validated"] for f in data["units"]["features"]) == 1
    nxt = client.get(f"/campaigns/{campaign.slug}/next.json", {"lon": JONGNO_POINT[0], "lat": JONGNO_POINT[1]})
    assert nxt.status_code == 200 and nxt.json()["id"] != entry.unit_id and nxt.json()["message"].endswith(".")
    assert client.get(f"/campaigns/{campaign.slug}/next.json", {"lon": "x"}).status_code == 400
    assert client.get("/campaigns/nope/").status_code == 404


def test_the_dashboard_on_the_page_counts_reports_by_status(client, campaign, organiser, mapper):
    entry = entry_submit(campaign=campaign, author=mapper, entry_type="shop", lon=JONGNO_POINT[0], lat=JONGNO_POINT[1], answers={"entrance": "step"})
    entry_to_report(entry=entry, actor=organiser, category=CategoryFactory())
    page = client.get(f"/campaigns/{campaign.slug}/").content.decode()
    assert 'data-report-status="submitted">1<' in page and 'id="contributors">1<' in page


@pytest.mark.parametrize(
    "url",
    [
        "/campaigns/jongno-barrier-free/next.json?lon=" + "9" * 5000 + "&lat=37.5",
        "/campaigns/jongno-barrier-free/next.json?lon=nan&lat=37.5",
        "/campaigns/jongno-barrier-free/next.json?lon=1e400&lat=37.5",
        "/campaigns/jongno-barrier-free/next.json?lon=126.97%00&lat=37.5",
        "/campaigns/jongno-barrier-free/photos/99999999999999999999/",
        "/campaigns/%00/",
    ],
)
def test_crafted_requests_are_client_errors(client, campaign, url):
    response = client.get(url)
    assert 400 <= response.status_code < 500, (url, response.status_code)


def test_crafted_entry_posts_are_client_errors(client, campaign, mapper):
    client.force_login(mapper)
    for extra in ({"lon": "1e400"}, {"answer-width_cm": "1e400"}, {"answer-width_cm": "9" * 5000},
                  {"answer-note": "가" * 5000}, {"answer-entrance": "flat\x00"}):
        response = post_entry(client, campaign, **extra)
        assert response.status_code == 400, extra
    response = client.post(f"/campaigns/{campaign.slug}/entries/1/report/", {"category": "9" * 5000, "next": "organise"})
    assert 400 <= response.status_code < 500
    assert not Entry.objects.exists()


def test_korean_by_default_with_particles_and_english_on_request(client, campaign):
    korean = client.get(f"/campaigns/{campaign.slug}/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "종로구가 주최하는 캠페인입니다." in korean and "항목 지도에 올리기" not in korean  # not signed in
    english = client.get(f"/campaigns/{campaign.slug}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "종로구 organises this campaign." in english and "Log in to take part" in english
    unit = campaign.units.get(area__name="청운효자동")
    nxt = client.get(f"/campaigns/{campaign.slug}/next.json", {"lon": 126.9700, "lat": 37.5850}, HTTP_ACCEPT_LANGUAGE="ko").json()
    assert nxt["id"] == unit.pk and nxt["message"] == "다음 기록 장소: 종로구 청운효자동으로 가 보세요."
