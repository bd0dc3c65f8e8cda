"""Open311 helpers: every JSON answer is validated against the GeoReport v2 JSON Schemas, every XML parsed."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from clients.services import api_client_create, api_key_create
from tests.conftest import OPEN311_SCHEMAS
from tests.factories import CategoryFactory, QuestionFactory

BASE = "/open311/v2/"


def _registry() -> Registry:
    resources = []
    for path in OPEN311_SCHEMAS.glob("*.json"):
        if path.name == "swagger.json":
            continue
        contents = json.loads(path.read_text())
        # The files reference each other by bare file name ("request.json").
        resources.append((path.name, Resource.from_contents(contents, default_specification=DRAFT4)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def validator(name: str) -> Draft4Validator:
    return Draft4Validator({"$ref": name}, registry=REGISTRY)


def assert_json_valid(response, schema: str):
    """Validate a JSON response against one of the schema files; return the parsed body."""
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = json.loads(response.content.decode("utf-8"))
    errors = sorted(validator(schema).iter_errors(body), key=str)
    assert not errors, [error.message for error in errors]
    return body


def assert_single_request_valid(response):
    body = json.loads(response.content.decode("utf-8"))
    assert isinstance(body, list) and len(body) == 1
    errors = list(validator("request.json").iter_errors(body[0]))
    assert not errors, [error.message for error in errors]
    return body


def assert_errors(response, status: int, fmt: str = "json") -> list[dict]:
    """The Open311 error shape: [{"code", "description"}] or <errors><error><code/><description/>."""
    assert response.status_code == status, response.content[:500]
    if fmt == "xml":
        assert response["Content-Type"] == "text/xml; charset=utf-8"
        root = ET.fromstring(response.content)
        assert root.tag == "errors"
        errors = [{child.tag: child.text for child in error} for error in root.findall("error")]
        assert errors and all(error["code"] == str(status) and error["description"] for error in errors)
        return errors
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = json.loads(response.content)
    assert isinstance(body, list) and body
    for error in body:
        assert error["code"] == status and isinstance(error["description"], str) and error["description"]
    return body


def parse_xml(response, root: str) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    element = ET.fromstring(response.content)
    assert element.tag == root
    return element


@pytest.fixture
def pothole(db):
    category = CategoryFactory(code="pothole-test", name="포트홀", name_en="Pothole", group="도로", keywords="road,pothole")
    QuestionFactory(
        category=category, code="size", datatype="singlevaluelist", required=True, order=0,
        values=[{"key": "small", "name": "작음", "name_en": "Small"}, {"key": "large", "name": "큼", "name_en": "Large"}],
    )
    QuestionFactory(
        category=category, code="kinds", datatype="multivaluelist", required=False, order=1,
        values=[{"key": "a", "name": "가"}, {"key": "b", "name": "나"}, {"key": "c", "name": "다"}],
    )
    QuestionFactory(category=category, code="depth", datatype="number", required=False, order=2)
    return category


@pytest.fixture
def api_key(db):
    client = api_client_create(name="Test app", contact="dev@example.kr")
    key, raw = api_key_create(client=client, scopes=["read", "submit"])
    return raw


@pytest.fixture
def read_only_key(db):
    client = api_client_create(name="Reader app")
    key, raw = api_key_create(client=client, scopes=["read"])
    return raw
