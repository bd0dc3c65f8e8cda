"""Property-based checks of the polls endpoints against their OpenAPI document: no 500s,
documented statuses and bodies only (the pattern of test_schemathesis.py)."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from clients.services import api_client_create, api_key_create
from tests.polls.factories import make_poll

schema = schemathesis.pytest.from_fixture("api_schema").include(path_regex=r"^/api/v1/polls")


@pytest.fixture
def api_schema(db):
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def key_headers(db):
    make_poll()
    _key, raw = api_key_create(client=api_client_create(name="Poll fuzzer"), scopes=["read", "submit"], rate_limit_per_minute=100_000)
    return {"Authorization": f"Bearer {raw}"}


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_polls_api_never_errors_and_matches_its_schema(case, key_headers):
    response = case.call(headers=key_headers)
    assert response.status_code < 500, response.text[:500]
    case.validate_response(response, excluded_checks=[positive_data_acceptance])
