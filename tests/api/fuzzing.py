"""What the property-based API tests share: a fuzzer's key, the examples' budget, and the check of each case.

Schemathesis generates valid and invalid requests from the schema (the `api_schema` fixture of
conftest.py): no 500s, documented statuses and bodies only.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from clients.services import api_client_create, api_key_create

FUZZ = settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))


def fuzzer_headers(name: str) -> dict:
    """A read and submit key of a new client, with a rate limit the fuzzer never reaches."""
    _key, raw = api_key_create(client=api_client_create(name=name), scopes=["read", "submit"], rate_limit_per_minute=100_000)
    return {"Authorization": f"Bearer {raw}"}


def check_case(case, headers: dict) -> None:
    response = case.call(headers=headers)
    assert response.status_code < 500, response.text[:500]
    # A schema-valid body may still name a category, report or poll that does not exist: a 4xx is right then.
    case.validate_response(response, excluded_checks=[positive_data_acceptance])
