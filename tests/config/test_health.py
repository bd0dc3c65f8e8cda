"""/healthz: liveness and database reachability for load balancers."""

import socket
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from notifications.outbox import message_enqueue


@pytest.mark.django_db
def test_healthy_with_a_live_worker(client):
    with connection.cursor() as cursor:  # a worker registers and beats every 10 s in procrastinate's table
        cursor.execute("SELECT procrastinate_register_worker_v1()")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok", "database": "ok", "worker": {"alive": True, "queue_depth": 0, "oldest_pending_seconds": 0},
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_degraded_when_the_worker_is_gone(client, settings):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO procrastinate_workers (last_heartbeat) VALUES (%s)",
            [timezone.now() - timedelta(seconds=settings.WORKER_HEARTBEAT_STALE_SECONDS + 5)],
        )
    message_enqueue(to=["a@example.kr"], subject="s", body="b")
    with connection.cursor() as cursor:  # its delivery job was queued 90 s ago
        cursor.execute("UPDATE procrastinate_events SET at = now() - interval '90 seconds' WHERE type = 'deferred'")
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded" and body["database"] == "ok"
    assert body["worker"]["alive"] is False and body["worker"]["queue_depth"] == 1
    assert 90 <= body["worker"]["oldest_pending_seconds"] < 150


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
        assert response["Retry-After"] == "5"
        assert "no-cache" in response["Cache-Control"]
        # The connection works again.
        assert client.get("/healthz").status_code == 200
        connection.close()
