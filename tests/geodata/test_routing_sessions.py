"""The routing statement is prepared once per database session: sessions come and go."""

import pytest
from django.db import DatabaseError, connection, transaction

from geodata.selectors import route_point

JONGNO = {"lon": 126.9768, "lat": 37.5759}


def test_a_new_connection_and_a_discarded_session_prepare_again(django_db_setup, django_db_blocker):
    # Outside a test transaction (autocommit, as in a request), nothing written.
    with django_db_blocker.unblock():
        try:
            first = route_point(**JONGNO)
            connection.close()
            assert route_point(**JONGNO) == first  # new session
            with connection.cursor() as cursor:
                cursor.execute("DISCARD ALL")  # what a pooler's reset query does
            assert route_point(**JONGNO) == first
            assert first.municipal_unit.code == "11010"
        finally:
            connection.close()


@pytest.mark.django_db
def test_inside_a_transaction_a_discarded_statement_fails_once_then_is_prepared_again():
    first = route_point(**JONGNO)
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    with pytest.raises(DatabaseError, match="does not exist"), transaction.atomic():
        route_point(**JONGNO)
    assert route_point(**JONGNO) == first
