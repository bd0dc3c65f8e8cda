"""Property-based checks of the reports/categories endpoints against their own OpenAPI document.

Schemathesis generates valid and invalid requests from the schema and calls the Django WSGI app
directly (same thread, same test transaction): no 500s, documented statuses and bodies only.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from clients.services import api_client_create, api_key_create
from tests.factories import CategoryFactory, QuestionFactory, make_report

# The areas endpoints belong to another test module.
schema = schemathesis.pytest.from_fixture("api_schema").include(path_regex=r"^/api/v1/(reports|categories)")


@pytest.fixture
def api_schema(db):
    # Like Django's test client: the request must not close the test transaction's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def key_headers(db):
    category = CategoryFactory(code="pothole")
    QuestionFactory(category=category, code="size", datatype="string")
    make_report(category=category)
    _key, raw = api_key_create(client=api_client_create(name="Fuzzer"), scopes=["read", "submit"], rate_limit_per_minute=100_000)
    return {"Authorization": f"Bearer {raw}"}


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_errors_and_matches_its_schema(case, key_headers):
    response = case.call(headers=key_headers)
    assert response.status_code < 500, response.text[:500]
    # A schema-valid body may still name a category or report that does not exist: a 4xx is right then.
    case.validate_response(response, excluded_checks=[positive_data_acceptance])
