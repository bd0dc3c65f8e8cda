"""Validate REST responses against the served OpenAPI document (until tests/api/openapi.py covers it).

OpenAPI 3.0 `nullable` becomes a JSON Schema null type; `$ref`s resolve inside the document.
"""

from __future__ import annotations

import functools
import re

from django.test import Client
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012


def _nullable(node):
    if isinstance(node, dict):
        node = {key: _nullable(value) for key, value in node.items()}
        if node.pop("nullable", False):
            node = {"anyOf": [node, {"type": "null"}]}
        return node
    if isinstance(node, list):
        return [_nullable(item) for item in node]
    return node


@functools.cache
def _document() -> dict:
    response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return _nullable(response.json())


def _operation(path: str, method: str) -> dict:
    for template, item in _document()["paths"].items():
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
        if re.match(pattern, path) and method.lower() in item:
            return item[method.lower()]
    raise AssertionError(f"{method} {path} is not in the OpenAPI document")


def assert_matches_schema(response, *, method: str = "GET"):
    """The response's status is documented for this operation and its JSON body fits the schema."""
    operation = _operation(response.wsgi_request.path, method)
    documented = operation["responses"].get(str(response.status_code))
    assert documented, f"{method} {response.wsgi_request.path}: status {response.status_code} not documented"
    body = response.json()
    schema = documented["content"]["application/json"]["schema"]
    registry = Registry().with_resource("urn:openapi", Resource.from_contents(_document(), default_specification=DRAFT202012))
    schema = {**schema, "$schema": "https://json-schema.org/draft/2020-12/schema"}
    schema = _rebase(schema)
    errors = list(Draft202012Validator(schema, registry=registry).iter_errors(body))
    assert not errors, [f"{list(error.absolute_path)}: {error.message}" for error in errors[:5]]
    return body


def _rebase(node):
    """'#/components/...' inside the fragment points into the whole document."""
    if isinstance(node, dict):
        return {key: ("urn:openapi" + value if key == "$ref" and value.startswith("#") else _rebase(value)) for key, value in node.items()}
    if isinstance(node, list):
        return [_rebase(item) for item in node]
    return node
