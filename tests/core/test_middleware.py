"""An unreachable or restarted database: 503 with Retry-After in each channel's format, never a 500."""

from __future__ import annotations

import socket

import pytest
from django.db import close_old_connections, connection

from tests.conftest import terminate_own_connection


def _unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def database_down(django_db_setup, django_db_blocker):
    """Point the connection at a closed port, then put everything back for later tests."""
    with django_db_blocker.unblock():
        connection.close()
        port = connection.settings_dict["PORT"]
        connection.settings_dict["PORT"] = str(_unused_port())
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict["PORT"] = port


@pytest.mark.parametrize(
    "path", ["/api/v1/areas/lookup?lat=37.5735&lon=126.9790", "/ogc/collections/reports/items", "/exports/reports.geojson"]
)
def test_apis_answer_json_503(client, database_down, path):
    client.raise_request_exception = False
    response = client.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["error"]["code"] == "service_unavailable"


def test_open311_keeps_its_error_format(client, database_down):
    client.raise_request_exception = False
    response = client.get("/open311/v2/services.json")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert response.json()[0]["code"] == 503 and response.json()[0]["error_code"] == "service_unavailable"
    xml = client.get("/open311/v2/services.xml")
    assert xml.status_code == 503 and b"<error_code>service_unavailable</error_code>" in xml.content


def test_people_get_a_page_in_their_language(client, database_down):
    client.raise_request_exception = False
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ko")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("text/html")
    assert "잠시" in response.content.decode()
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Temporarily unavailable" in english.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_killed_persistent_connection_is_replaced_before_the_next_request():
    pid = terminate_own_connection()
    close_old_connections()  # what every request starts with (request_started)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
