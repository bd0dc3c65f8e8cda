"""core.db.retry_on_conflict against real PostgreSQL errors (SQLSTATE 40P01 / 40001 raised by the server)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, OperationalError, connection, transaction

from core.db import retry_on_conflict


def raise_sqlstate(code: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '{code}'; END $$")


def flaky(failures: int, code: str):
    calls = []

    @retry_on_conflict
    def write():
        calls.append(1)
        with transaction.atomic():
            connection.cursor().execute("SELECT 1")
            if len(calls) <= failures:
                raise_sqlstate(code)
        return len(calls)

    return write, calls


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("code", ["40P01", "40001"])
def test_a_deadlock_or_serialization_failure_is_run_again(code):
    write, calls = flaky(2, code)
    assert write() == 3


@pytest.mark.django_db(transaction=True)
def test_retries_are_bounded(settings):
    settings.DB_CONFLICT_ATTEMPTS = 3
    write, calls = flaky(10, "40P01")
    with pytest.raises(OperationalError):
        write()
    assert len(calls) == 3


@pytest.mark.django_db(transaction=True)
def test_other_errors_are_not_retried():
    write, calls = flaky(1, "23505")  # unique_violation: a real error, not a conflict
    with pytest.raises(IntegrityError):
        write()
    assert len(calls) == 1


@pytest.mark.django_db
def test_inside_an_enclosing_transaction_the_owner_decides():
    write, calls = flaky(1, "40P01")
    with pytest.raises(OperationalError):
        write()  # the test's own transaction encloses it: no retry here
    assert len(calls) == 1
