"""REST /api/v1/campaigns/: campaigns, their public entries, and entries posted by a field app for a
volunteer whose grant the app holds. Every response is checked against the OpenAPI document."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.grants import Purpose
from campaigns.models import CampaignMember, Entry, EntryPhoto
from campaigns.services import campaign_member_add, entry_hide, entry_validate
from clients.services import api_client_create
from tests.api.openapi import assert_matches_schema
from tests.api.residents import app_key, grant_header
from tests.campaign_factories import JONGNO_POINTS, campaign_organiser, make_campaign, make_entry
from tests.factories import HAEUNDAE, UserFactory, photo_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(db):
    return make_campaign()


@pytest.fixture
def app(db):
    return api_client_create(name="Field app")


@pytest.fixture
def key(app):
    return app_key(app=app)[1]


@pytest.fixture
def volunteer(db):
    return UserFactory(username="field-volunteer", email="field-volunteer@example.kr")


@pytest.fixture
def acting(app, key, volunteer):
    """The field app's key with the grant the volunteer gave it."""
    return {**key, **grant_header(volunteer, app, [Purpose.CAMPAIGN_ENTRIES])}


def entries_url(campaign) -> str:
    return f"/api/v1/campaigns/{campaign.slug}/entries/"


def post_json(client, campaign, data, **headers):
    return client.post(entries_url(campaign), json.dumps(data), content_type="application/json", **headers)


GOOD = {"entry_type": "shop", "lon": JONGNO_POINTS[3][0], "lat": JONGNO_POINTS[3][1],
        "answers": {"entrance": "step", "features": ["ramp"], "width_cm": 80, "contact": "010-1234-5678"}}


# --- campaigns ---------------------------------------------------------------------------------


def test_list_and_detail(client, campaign):
    now = timezone.now()
    later = make_campaign(slug="later-flooding", theme="flooding", starts_at=now + timedelta(days=3), ends_at=now + timedelta(days=9))
    authors = [UserFactory(), UserFactory()]
    for index in range(3):
        make_entry(campaign, author=authors[index % 2], at=JONGNO_POINTS[index])
    hidden = make_entry(campaign, author=UserFactory(), at=JONGNO_POINTS[5])
    entry_hide(entry=hidden, actor=campaign_organiser(), reason="중복")

    body = assert_matches_schema(client.get("/api/v1/campaigns/"))
    by_slug = {c["slug"]: c for c in body["results"]}
    assert set(by_slug) == {campaign.slug, later.slug}
    shown = by_slug[campaign.slug]
    assert shown["state"] == "open" and by_slug[later.slug]["state"] == "upcoming"
    assert shown["entry_count"] == 3 and shown["contributor_count"] == 2  # the hidden entry is not counted
    assert shown["organiser"] == {"kind": "local_government", "name": "종로구", "code": "11010"}
    assert shown["governments"] == [{"code": "11010", "name": "종로구"}]
    min_lon, min_lat, max_lon, max_lat = shown["bbox"]
    assert min_lon < JONGNO_POINTS[0][0] < max_lon and min_lat < JONGNO_POINTS[0][1] < max_lat
    assert {f["key"]: f["public"] for f in shown["form_fields"]}["contact"] is False
    assert shown["links"]["geojson"].endswith(f"/exports/campaigns/{campaign.slug}/entries.geojson")
    assert shown["links"]["tiles"].endswith(f"/tiles/campaigns/{campaign.slug}/{{z}}/{{x}}/{{y}}.mvt")

    assert [c["slug"] for c in assert_matches_schema(client.get("/api/v1/campaigns/?state=open"))["results"]] == [campaign.slug]
    assert [c["slug"] for c in assert_matches_schema(client.get("/api/v1/campaigns/?theme=flooding"))["results"]] == [later.slug]
    response = client.get("/api/v1/campaigns/?state=someday")
    assert response.status_code == 400 and assert_matches_schema(response)["error"]["code"] == "invalid"

    detail = assert_matches_schema(client.get(f"/api/v1/campaigns/{campaign.slug}/"))
    assert detail["coverage"]["units"] > 0 and detail["coverage"]["covered"] == 0 and detail["coverage"]["share"] == 0
    response = client.get("/api/v1/campaigns/nope/")
    assert response.status_code == 404 and assert_matches_schema(response)["error"]["code"] == "not_found"


def test_detail_coverage_counts_validated_entries(client, campaign):
    validator = UserFactory(username="api-validator")
    campaign_member_add(campaign=campaign, actor=campaign_organiser(), user=validator, role=CampaignMember.Role.VALIDATOR)
    entry_validate(entry=make_entry(campaign), actor=validator)
    coverage = assert_matches_schema(client.get(f"/api/v1/campaigns/{campaign.slug}/"))["coverage"]
    assert coverage["covered"] == 1 and coverage["share"] == round(1 / coverage["units"], 4)


def test_list_pages_with_a_cursor(client):
    now = timezone.now()
    for index in range(3):
        make_campaign(slug=f"paged-{index}", starts_at=now - timedelta(days=10 - index), ends_at=now + timedelta(days=1))
    first = assert_matches_schema(client.get("/api/v1/campaigns/?page_size=2"))
    second = assert_matches_schema(client.get(first["next"]))
    assert [c["slug"] for c in first["results"] + second["results"]] == ["paged-2", "paged-1", "paged-0"]
    assert second["next"] is None


# --- entries: reading ---------------------------------------------------------------------------


def test_entries_show_public_answers_only(client, campaign):
    entry = make_entry(campaign, answers={"entrance": "step", "note": "문이 무거워요", "contact": "010-9999-0000"},
                       photos={"photo": [photo_upload()], "face_photo": [photo_upload()]})
    hidden = make_entry(campaign, at=JONGNO_POINTS[1])
    entry_hide(entry=hidden, actor=campaign_organiser(), reason="개인정보")

    body = assert_matches_schema(client.get(entries_url(campaign)))
    assert [e["id"] for e in body["results"]] == [entry.pk]
    shown = body["results"][0]
    assert shown["answers"] == {"entrance": "step", "note": "문이 무거워요"}
    public_photo = EntryPhoto.objects.get(entry=entry, field_key="photo")
    assert shown["photos"] == [f"http://testserver/campaigns/{campaign.slug}/photos/{public_photo.pk}/"]
    served = client.get(shown["photos"][0])
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert "010-9999-0000" not in json.dumps(body) and entry.author.email not in json.dumps(body)

    narrowed = assert_matches_schema(client.get(entries_url(campaign) + "?fields=note"))
    assert narrowed["results"][0]["answers"] == {"note": "문이 무거워요"} and narrowed["results"][0]["photos"] == []


@pytest.mark.parametrize(("query", "code"), [("fields=contact", "private_field"), ("fields=note,face_photo", "private_field"),
                                             ("fields=nope", "unknown_field"), ("status=lost", "invalid"), ("page_size=0", "invalid")])
def test_entries_bad_queries_are_400(client, campaign, query, code):
    make_entry(campaign)
    response = client.get(entries_url(campaign) + "?" + query)
    assert response.status_code == 400
    assert assert_matches_schema(response)["error"]["code"] == code


def test_entries_filter_and_page(client, campaign):
    for index in range(3):
        make_entry(campaign, at=JONGNO_POINTS[index], entry_type="toilet" if index else "shop")
    assert len(assert_matches_schema(client.get(entries_url(campaign) + "?entry_type=toilet"))["results"]) == 2
    assert assert_matches_schema(client.get(entries_url(campaign) + "?status=validated"))["results"] == []
    first = assert_matches_schema(client.get(entries_url(campaign) + "?page_size=2"))
    second = assert_matches_schema(client.get(first["next"]))
    assert len(first["results"]) == 2 and len(second["results"]) == 1
    response = client.get("/api/v1/campaigns/nope/entries/")
    assert response.status_code == 404 and assert_matches_schema(response)["error"]["code"] == "not_found"


# --- entries: posted by an app for the volunteer whose grant it holds -------------------------------------------------------


def test_post_json_for_the_volunteer_whose_grant_the_app_holds(client, campaign, acting, volunteer):
    response = post_json(client, campaign, GOOD, **acting)
    body = assert_matches_schema(response)
    assert response.status_code == 201
    entry = Entry.objects.get(pk=body["id"])
    assert entry.author == volunteer and entry.campaign == campaign and entry.answers["contact"] == "010-1234-5678"
    assert body["answers"] == {"entrance": "step", "features": ["ramp"], "width_cm": 80}  # the private answer stays in
    assert body["status"] == "submitted" and body["lon"] == round(GOOD["lon"], 6)


def test_post_multipart_with_photos(client, campaign, acting):
    data = {"entry_type": "toilet", "lon": GOOD["lon"], "lat": GOOD["lat"], "answers": json.dumps({"entrance": "flat"}),
            "photos": [photo_upload()]}
    response = client.post(entries_url(campaign), data, **acting)
    body = assert_matches_schema(response)
    assert response.status_code == 201 and len(body["photos"]) == 1
    # A file named after a photo field answers that field: a private one is kept and never shown.
    data = {**data, "photos": [], "face_photo": photo_upload()}
    del data["photos"]
    response = client.post(entries_url(campaign), data, **acting)
    body = assert_matches_schema(response)
    assert response.status_code == 201 and body["photos"] == []
    assert EntryPhoto.objects.get(entry_id=body["id"]).field_key == "face_photo"


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"lon": HAEUNDAE[0], "lat": HAEUNDAE[1]}, 400, "outside_campaign_area"),
        ({"lat": 137}, 400, "invalid"),
        ({"entry_type": "bench"}, 400, "unknown_entry_type"),
        ({"answers": {"entrance": "gold"}}, 400, "invalid"),
        ({"answers": {"width_cm": 30}}, 400, "invalid"),  # the required entrance is missing
        ({"answers": {"entrance": "flat", "colour": "red"}}, 400, "invalid"),
        ({"answers": "not json"}, 400, "invalid"),
    ],
)
def test_post_bad_input_saves_nothing(client, campaign, acting, change, status, code):
    response = post_json(client, campaign, {**GOOD, **change}, **acting)
    assert response.status_code == status
    assert assert_matches_schema(response)["error"]["code"] == code
    assert Entry.objects.count() == 0


def test_post_refusals(client, campaign, app, key, acting, volunteer):
    # No key; a key without submit; a key with no grant, even with the volunteer's session (a key is an app).
    response = post_json(client, campaign, GOOD)
    assert response.status_code == 401 and assert_matches_schema(response)["error"]["code"] == "not_authenticated"
    reader_app, reader = app_key(scopes=["read"])
    response = post_json(client, campaign, GOOD, **reader, **grant_header(volunteer, reader_app))
    assert response.status_code == 403 and assert_matches_schema(response)["error"]["code"] == "api_key_scope"
    response = post_json(client, campaign, GOOD, **key)
    assert response.status_code == 401 and assert_matches_schema(response)["error"]["code"] == "resident_grant_required"
    client.force_login(volunteer)
    response = post_json(client, campaign, GOOD, **key)
    assert response.status_code == 401 and assert_matches_schema(response)["error"]["code"] == "resident_grant_required"
    client.logout()
    # A grant for votes only does not let the app post entries.
    response = post_json(client, campaign, GOOD, **key, **grant_header(volunteer, app, [Purpose.POLL_VOTES]))
    assert response.status_code == 403 and assert_matches_schema(response)["error"]["code"] == "resident_grant_purpose"
    # Outside the window; an invited campaign for someone not invited.
    now = timezone.now()
    closed = make_campaign(slug="closed-one", starts_at=now - timedelta(days=9), ends_at=now - timedelta(days=1))
    invited = make_campaign(slug="invited-one", participation="invited")
    response = post_json(client, closed, GOOD, **acting)
    assert response.status_code == 409 and assert_matches_schema(response)["error"]["code"] == "campaign_not_open"
    response = post_json(client, invited, GOOD, **acting)
    assert response.status_code == 403 and assert_matches_schema(response)["error"]["code"] == "not_a_participant"
    response = post_json(client, campaign, [1, 2], **acting)
    assert response.status_code == 400 and assert_matches_schema(response)["error"]["code"] == "invalid"
    response = client.post(entries_url(campaign), "a=b", content_type="text/plain", **acting)
    assert response.status_code == 415 and assert_matches_schema(response)["error"]["code"] == "unsupported_media_type"
    assert Entry.objects.count() == 0


def test_post_idempotency_replays_for_the_same_volunteer_only(client, campaign, app, key, acting):
    first = post_json(client, campaign, GOOD, HTTP_IDEMPOTENCY_KEY="entry-1", **acting)
    again = post_json(client, campaign, GOOD, HTTP_IDEMPOTENCY_KEY="entry-1", **acting)
    assert first.status_code == again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert assert_matches_schema(first) == assert_matches_schema(again) and Entry.objects.count() == 1
    # Another volunteer of the same app reusing the key is another request, not a replay.
    second = grant_header(UserFactory(username="second-volunteer"), app)
    other = post_json(client, campaign, GOOD, HTTP_IDEMPOTENCY_KEY="entry-1", **key, **second)
    assert other.status_code == 422 and assert_matches_schema(other)["error"]["code"] == "idempotency_key_reused"
    assert Entry.objects.count() == 1
