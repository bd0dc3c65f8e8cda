"""The standard models API: catalogue, detail, schema, export, adopt and import; every response
checked against the OpenAPI schema."""

from __future__ import annotations

import json

import jsonschema
import pytest
from django.utils import timezone

from campaigns.models import Campaign
from clients.models import ApiKey
from clients.services import api_client_create, api_key_create
from reports.models import Category
from staff.models import StaffRole
from staff.selectors import staff_roles
from standard_models.models import Adoption, StandardModel
from tests.api.openapi import assert_matches_schema
from tests.standard_models.conftest import JEONJU, SUWON, government, publish_suwon_model, staff_of, suwon_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(db):
    officer = staff_of(SUWON, username="suwon-officer")
    moderator = staff_of("11010", role=StaffRole.Role.MODERATOR, username="moderator")
    return publish_suwon_model(officer=officer, campaign=suwon_campaign(officer), moderator=moderator)


def key_headers(name: str, scopes: list[str], code: str | None = None) -> dict:
    _key, raw = api_key_create(client=api_client_create(name=name, local_government=government(code) if code else None), scopes=scopes)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_list_and_detail(client, published):
    items = assert_matches_schema(client.get("/api/v1/models/"))
    assert [(i["id"], i["slug"]) for i in items] == [(published.model_id, "suwon-barrier-free")]
    assert items[0]["origin_government"]["code"] == SUWON and items[0]["evidence_tier"] == "documented" and items[0]["adopters"] == 0
    assert assert_matches_schema(client.get("/api/v1/models/?theme=safety")) == []
    assert len(assert_matches_schema(client.get("/api/v1/models/?region=31"))) == 1  # 경기도
    assert assert_matches_schema(client.get("/api/v1/models/?region=35")) == []
    body = assert_matches_schema(client.get("/api/v1/models/suwon-barrier-free/"))
    assert body["versions"][0]["number"] == 1 and body["document"]["identity"]["slug"] == "suwon-barrier-free"
    missing = client.get("/api/v1/models/nothing-here/")
    assert missing.status_code == 404 and assert_matches_schema(missing)["error"]["code"] == "unknown_model"
    bad = client.get("/api/v1/models/?theme=jazz")
    assert bad.status_code == 400 and assert_matches_schema(bad)["error"]["message"]


def test_schema_json_and_export_are_public(client, published):
    schema = assert_matches_schema(client.get("/api/v1/models/schema.json"))
    response = client.get("/api/v1/models/suwon-barrier-free/export/")
    assert response.status_code == 200 and response.content == published.document_text.encode()
    jsonschema.Draft202012Validator(schema).validate(assert_matches_schema(response))
    assert client.get("/api/v1/models/suwon-barrier-free/export/?version=1").content == response.content
    assert client.get("/api/v1/models/suwon-barrier-free/export/?version=x").status_code == 400


def test_adopt_needs_a_staff_key_of_the_adopting_government(client, published):
    body = {"government": JEONJU, "start": "2026-12-01", "added_fields": [
        {"key": "braille", "label": "점자 안내판", "datatype": "string", "public": True}]}
    url = "/api/v1/models/suwon-barrier-free/adopt/"
    cases = [({}, 401), (key_headers("reader", ["read", "submit"], JEONJU), 403), (key_headers("suwon app", ["read", "staff"], SUWON), 403)]
    for headers, expected in cases:
        response = client.post(url, body, content_type="application/json", **headers)
        assert response.status_code == expected and assert_matches_schema(response)["error"]["code"]
    assert not Adoption.objects.exists()
    staff = key_headers("jeonju app", ["read", "staff"], JEONJU)
    locked = client.post(url, {**body, "changed_fields": {"entrance": {"label": "x"}}}, content_type="application/json", **staff)
    assert locked.status_code == 409 and assert_matches_schema(locked)["error"]["code"] == "locked_field"
    assert not Adoption.objects.exists()
    response = client.post(url, body, content_type="application/json", **staff)
    assert response.status_code == 201, response.content
    adoption = assert_matches_schema(response)
    assert adoption["government"]["code"] == JEONJU and adoption["version"] == 1 and adoption["starts_on"] == "2026-12-01"
    assert adoption["categories"] == [{"code": "step-free-access-35010", "model_code": "step-free-access"}]
    assert adoption["campaign"]["slug"] == "suwon-barrier-free-35010" and adoption["changes"]["added_fields"] == ["braille"]
    again = client.post(url, body, content_type="application/json", **staff)
    assert again.status_code == 409 and assert_matches_schema(again)["error"]["code"] == "already_adopted"
    bad = client.post(url, {"government": JEONJU, "start": "soon"}, content_type="application/json", **staff)
    assert bad.status_code == 400 and assert_matches_schema(bad)
    detail = assert_matches_schema(client.get("/api/v1/models/suwon-barrier-free/"))
    assert detail["adopters"] == 1 and detail["adoptions"][0]["government"]["code"] == JEONJU
    assert Category.objects.filter(code="step-free-access-35010", local_government__code=JEONJU).exists()


def test_import_with_a_staff_key(client, published):
    raw = published.document_text.encode()
    StandardModel.objects.all().delete()
    url = "/api/v1/models/import/"
    assert client.post(url, json.loads(raw), content_type="application/json").status_code == 401
    staff = key_headers("jeonju app", ["read", "staff"], JEONJU)
    bad = dict(json.loads(raw), format_version=3)
    response = client.post(url, bad, content_type="application/json", **staff)
    assert response.status_code == 400 and assert_matches_schema(response)["error"]["code"] == "unknown_format_version"
    assert not StandardModel.objects.exists()
    response = client.post(url, json.loads(raw), content_type="application/json", **staff)
    assert response.status_code == 201 and assert_matches_schema(response) == {"slug": "suwon-barrier-free", "version": 1, "status": "pending"}
    assert StandardModel.objects.get().versions.get().document_text.encode() == raw
    clash = client.post(url, json.loads(raw), content_type="application/json", **staff)
    assert clash.status_code == 409 and assert_matches_schema(clash)["error"]["code"] == "model_version_exists"


def test_a_staff_key_of_another_government_is_refused_and_nothing_is_created(client, published):
    campaigns, categories = Campaign.objects.count(), Category.objects.count()
    suwon = key_headers("suwon app", ["read", "staff"], SUWON)
    response = client.post("/api/v1/models/suwon-barrier-free/adopt/", {"government": JEONJU, "start": "2026-12-01"},
                           content_type="application/json", **suwon)
    assert response.status_code == 403 and assert_matches_schema(response)["error"]["code"] == "permission_denied"
    assert not Adoption.objects.exists() and Campaign.objects.count() == campaigns and Category.objects.count() == categories


def test_the_lineage_says_which_key_adopted(client, published):
    key, raw = api_key_create(client=api_client_create(name="jeonju app", local_government=government(JEONJU)), scopes=["read", "staff"])
    response = client.post("/api/v1/models/suwon-barrier-free/adopt/", {"government": JEONJU, "start": "2026-12-01"},
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 201
    adoption = Adoption.objects.get()
    assert adoption.created_by_key == key.prefix and adoption.created_by is None


def test_staff_roles_answer_for_an_api_key(db):
    jeonju, suwon = government(JEONJU), government(SUWON)
    staff, _raw = api_key_create(client=api_client_create(name="jeonju staff", local_government=jeonju), scopes=["read", "staff"])
    reader, _raw = api_key_create(client=api_client_create(name="jeonju reader", local_government=jeonju), scopes=["read"])
    national, _raw = api_key_create(client=api_client_create(name="national app"), scopes=["read", "staff"])
    assert staff_roles(user=staff, government_id=jeonju.pk) == {StaffRole.Role.STAFF}
    assert staff_roles(user=staff, government_id=suwon.pk) == set()
    assert staff_roles(user=reader, government_id=jeonju.pk) == set() == staff_roles(user=national, government_id=jeonju.pk)
    ApiKey.objects.filter(pk=staff.pk).update(revoked_at=timezone.now())
    staff.refresh_from_db()
    assert staff_roles(user=staff, government_id=jeonju.pk) == set()
