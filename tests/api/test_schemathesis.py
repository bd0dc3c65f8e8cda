"""Property-based checks of the reports/categories endpoints against their own OpenAPI document
(tests/api/fuzzing.py): no 500s, documented statuses and bodies only."""

from __future__ import annotations

import pytest
import schemathesis

from tests.api.fuzzing import FUZZ, check_case, fuzzer_headers
from tests.factories import CategoryFactory, QuestionFactory, make_report

# The areas endpoints belong to another test module.
schema = schemathesis.pytest.from_fixture("api_schema").include(path_regex=r"^/api/v1/(reports|categories)")


@pytest.fixture
def key_headers(db):
    category = CategoryFactory(code="pothole")
    QuestionFactory(category=category, code="size", datatype="string")
    make_report(category=category)
    return fuzzer_headers("Fuzzer")


@schema.parametrize()
@FUZZ
def test_api_never_errors_and_matches_its_schema(case, key_headers):
    check_case(case, key_headers)
