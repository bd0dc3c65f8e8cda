"""Checking API responses against the OpenAPI schema drf-spectacular serves at /api/schema/.

    body = assert_matches_schema(client.get("/api/v1/areas/lookup?lat=37.5&lon=127"))

finds the operation from the response's URL route and method, requires the status code to be
documented, and validates the JSON body against that response's schema with jsonschema
($refs resolved in the schema's components; OpenAPI 3.0's `nullable` turned into JSON Schema;
objects closed, so an undocumented field is an error too).
"""

from __future__ import annotations

import re
from functools import cache

import jsonschema
from django.test import Client


@cache
def openapi_schema() -> dict:
    response = Client().get("/api/schema/?format=json")
    assert response.status_code == 200, response.content[:500]
    return response.json()


def _to_json_schema(node):
    """OpenAPI 3.0 schema objects as JSON Schema (2020-12)."""
    if isinstance(node, list):
        return [_to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _to_json_schema(value) for key, value in node.items() if key != "nullable"}
    if "properties" in converted and "additionalProperties" not in converted:
        converted["additionalProperties"] = False
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


@cache
def _components() -> dict:
    return _to_json_schema(openapi_schema()["components"])


def openapi_path(route: str) -> str:
    """Django's route 'api/v1/areas/<str:code>/' as the schema's path '/api/v1/areas/{code}/'."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


@cache
def _validator(path: str, method: str, status: str) -> jsonschema.Draft202012Validator:
    operation = openapi_schema()["paths"][path][method]
    documented = operation["responses"].get(status)
    assert documented is not None, (
        f"{method.upper()} {path} answered {status}, which the schema does not document "
        f"(documented: {sorted(operation['responses'])})"
    )
    schema = documented["content"]["application/json"]["schema"]
    root = {**_to_json_schema(schema), "components": _components()}
    jsonschema.Draft202012Validator.check_schema(root)
    return jsonschema.Draft202012Validator(root)


def schema_errors(path: str, method: str, status: int, body) -> list[str]:
    """What is wrong with a body as the documented response of an operation (empty when valid)."""
    validator = _validator(path, method, str(status))
    errors = sorted(validator.iter_errors(body), key=lambda error: list(error.absolute_path))
    return [f"{'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message}" for e in errors]


def assert_matches_schema(response) -> dict | list:
    """Validate a test client response against its documented response schema; return the body."""
    path = openapi_path(response.resolver_match.route)
    method = response.request["REQUEST_METHOD"].lower()
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    errors = schema_errors(path, method, response.status_code, body)
    assert not errors, f"{method.upper()} {path} {response.status_code}:\n" + "\n".join(errors[:10])
    return body
