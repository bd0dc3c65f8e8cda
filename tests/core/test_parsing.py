"""The shared input parsers: every crafted value is a DomainError, never an exception from deeper down."""

from __future__ import annotations

import pytest

from core.errors import DomainError
from core.parsing import json_depth_ok, parse_bbox, parse_datetime_param, parse_email, parse_id, parse_int, parse_json


@pytest.mark.parametrize("value", ["²", "١٢", "-1", "0", "", "1" * 20, str(2**63), "12a", " 12"])
def test_parse_id_takes_only_ascii_digits_that_fit_a_bigint(value):
    assert parse_id(value) is None


def test_parse_id_reads_an_id():
    assert parse_id("42") == 42 and parse_id(str(2**63 - 1)) == 2**63 - 1


@pytest.mark.parametrize("value", ["1" * 5000, "²", "1e3", "", "9" * 41])
def test_parse_int_refuses_what_int_would_choke_on(value):
    with pytest.raises(DomainError) as caught:
        parse_int("page", value, minimum=1, maximum=100)
    assert caught.value.code == "invalid_parameter"


@pytest.mark.parametrize("value", [
    "2026-05-01T10:00:00+23:59",  # PostgreSQL takes offsets up to 15:59
    "9999-12-31T23:59:59",  # a 90-day window after it overflows
    "0001-01-01",
    "2026-02-30",
    "x" * 100,
    "2026-05-01T10:00:00+99:00",
])
def test_parse_datetime_refuses_what_postgresql_or_python_cannot_take(value):
    with pytest.raises(DomainError) as caught:
        parse_datetime_param("start", value)
    assert caught.value.code == "invalid_date"


def test_parse_datetime_keeps_a_valid_offset():
    assert parse_datetime_param("start", "2026-05-01T10:00:00+15:59").utcoffset().total_seconds() == 15 * 3600 + 59 * 60


@pytest.mark.parametrize("value", ["1,2,3", "nan,0,1,1", "1,2,inf,4", "1" * 5000 + ",1,2,3", "10,10,0,0"])
def test_parse_bbox_refuses_bad_boxes(value):
    with pytest.raises(DomainError):
        parse_bbox(value)


def test_parse_json_refuses_absurd_nesting():
    with pytest.raises(ValueError):
        parse_json("[" * 5000 + "]" * 5000)
    with pytest.raises(ValueError):
        parse_json("[" * 40 + "]" * 40)
    assert parse_json('{"a": [1, {"b": 2}]}') == {"a": [1, {"b": 2}]}
    assert json_depth_ok({"a": [[1]]}) and not json_depth_ok([[[1]]], limit=2)


def test_parse_email_trims_and_lower_cases_one_address():
    assert parse_email("  Kim@Example.KR ") == "kim@example.kr"


@pytest.mark.parametrize("value", ["", None, "kim", "kim@", "@example.kr", "kim@example.kr\x00", "a" * 400 + "@x.kr"])
def test_parse_email_refuses_what_is_not_an_address(value):
    with pytest.raises(DomainError) as caught:
        parse_email(value, name="reporter_email")
    assert caught.value.code == "invalid_email" and "reporter_email" in caught.value.fields
