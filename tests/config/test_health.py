"""/healthz: liveness and database reachability for load balancers."""

import socket

import pytest
from django.db import connection


@pytest.mark.django_db
def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def _unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_database_unreachable(client, django_db_setup, django_db_blocker):
    """Point the connection at a closed port: 503, then everything is put back for later tests."""
    with django_db_blocker.unblock():
        connection.close()
        port = connection.settings_dict["PORT"]
        connection.settings_dict["PORT"] = str(_unused_port())
        try:
            response = client.get("/healthz")
        finally:
            connection.close()
            connection.settings_dict["PORT"] = port
        assert response.status_code == 503
        assert response.json() == {"status": "error", "database": "unavailable"}
        assert "no-cache" in response["Cache-Control"]
        # The connection works again.
        assert client.get("/healthz").status_code == 200
        connection.close()
