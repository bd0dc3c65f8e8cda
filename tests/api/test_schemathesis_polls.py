"""Property-based checks of the polls endpoints against their OpenAPI document (tests/api/fuzzing.py):
no 500s, documented statuses and bodies only."""

from __future__ import annotations

import pytest
import schemathesis

from tests.api.fuzzing import FUZZ, check_case, fuzzer_headers
from tests.polls.factories import make_poll

schema = schemathesis.pytest.from_fixture("api_schema").include(path_regex=r"^/api/v1/polls")


@pytest.fixture
def key_headers(db):
    make_poll()
    return fuzzer_headers("Poll fuzzer")


@schema.parametrize()
@FUZZ
def test_polls_api_never_errors_and_matches_its_schema(case, key_headers):
    check_case(case, key_headers)
