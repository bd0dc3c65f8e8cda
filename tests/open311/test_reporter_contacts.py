"""Reporter email and phone in Open311 GETs: only for a staff-scoped key of the responsible government's client."""

from __future__ import annotations

import json

import pytest

from clients.services import api_client_create, api_key_create
from geodata.models import Area
from tests.factories import HAEUNDAE, JONGNO, make_report

from .conftest import BASE, assert_json_valid, parse_xml

pytestmark = pytest.mark.django_db
EMAIL, PHONE, NAME = "jongno-reporter@example.kr", "010-2222-3333", "김제보"


def _key(name: str, scopes: list[str], government_code: str | None = None) -> str:
    government = Area.objects.current().get(code=government_code) if government_code else None
    _key, raw = api_key_create(client=api_client_create(name=name, local_government=government), scopes=scopes)
    return raw


@pytest.fixture
def reports(db):
    app = api_client_create(name="Filing app")
    jongno = make_report(at=JONGNO, api_client=app, reporter_email=EMAIL, reporter_phone=PHONE, reporter_name=NAME)
    haeundae = make_report(at=HAEUNDAE, api_client=app, reporter_email="busan@example.kr", reporter_phone="010-9999-8888")
    return jongno, haeundae


def test_staff_of_the_responsible_government_see_contacts_in_extensions(client, reports):
    jongno, haeundae = reports
    staff = _key("Jongno staff app", ["read", "staff"], "11010")

    body = assert_json_valid(client.get(f"{BASE}requests.json", {"extensions": "true", "api_key": staff}), "requests.json")
    by_id = {item["service_request_id"]: item["extended_attributes"] for item in body}
    assert {key: by_id[str(jongno.pk)][key] for key in ("reporter_email", "reporter_phone", "reporter_name")} == {
        "reporter_email": EMAIL, "reporter_phone": PHONE, "reporter_name": NAME,
    }
    # Another government's report stays private even to this key.
    assert not {"reporter_email", "reporter_phone", "reporter_name"} & set(by_id[str(haeundae.pk)])
    assert "busan@example.kr" not in json.dumps(body) and "010-9999-8888" not in json.dumps(body)

    detail = client.get(f"{BASE}requests/{jongno.pk}.xml", {"extensions": "true", "api_key": staff})
    attributes = parse_xml(detail, "service_requests").find("request/extended_attributes")
    assert (attributes.findtext("reporter_email"), attributes.findtext("reporter_phone")) == (EMAIL, PHONE)

    # Without the extensions the response is plain GeoReport v2, with no contacts.
    plain = client.get(f"{BASE}requests/{jongno.pk}.json", {"api_key": staff}).content.decode()
    assert EMAIL not in plain and PHONE not in plain


@pytest.mark.parametrize(
    "scopes,government_code",
    [
        (None, None),  # anonymous
        (["read", "submit"], None),
        (["read", "staff"], None),  # staff scope, but the client belongs to no government
        (["read", "submit"], "11010"),  # the responsible government's app, without the staff scope
        (["read", "staff"], "haeundae"),  # staff of another government
    ],
)
def test_nobody_else_sees_contacts(client, reports, scopes, government_code):
    jongno, haeundae = reports
    params = {"extensions": "true"}
    if government_code == "haeundae":
        government_code = haeundae.local_government.code
    if scopes:
        params["api_key"] = _key("Some app", scopes, government_code)
    for url in ("requests.json", f"requests/{jongno.pk}.json", f"requests/{jongno.pk}.xml", "requests.xml"):
        response = client.get(BASE + url, params)
        assert response.status_code == 200
        text = response.content.decode()
        assert EMAIL not in text and PHONE not in text and NAME not in text
        if url.endswith(".json"):
            [item] = [item for item in json.loads(text) if item["service_request_id"] == str(jongno.pk)]
            assert not {"reporter_email", "reporter_phone", "reporter_name"} & set(item["extended_attributes"])
