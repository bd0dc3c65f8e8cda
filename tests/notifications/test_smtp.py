"""End to end through a real SMTP server (aiosmtpd): SMTP down never holds up a report, and the mail
arrives exactly once when the server is back."""

from __future__ import annotations

import email
import time

import pytest
from aiosmtpd.controller import Controller
from django.db import connection

from notifications.models import OutboundMessage
from notifications.worker import jobs_run_here
from reports.models import Report
from tests.mapping.test_views import pothole, report_post  # noqa: F401  (pothole is a fixture)
from tests.notifications.test_outbox import closed_port

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self):
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


def run_worker_once() -> None:
    jobs_run_here()  # the worker's jobs, in this thread: the test's transaction never commits


def test_report_is_accepted_while_smtp_is_down_and_its_mail_arrives_once_later(client, pothole, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port()
    settings.EMAIL_TIMEOUT = 5

    started = time.monotonic()
    response = client.post("/reports/new/", report_post(client, pothole))
    assert response.status_code == 302 and response.url == "/reports/sent/"
    assert time.monotonic() - started < 5  # the request never waited for SMTP
    report = Report.objects.get()

    run_worker_once()  # SMTP is down: the attempt fails and is kept
    message = OutboundMessage.objects.get()
    assert message.status == OutboundMessage.Status.PENDING and message.attempts == 1 and message.last_error

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=settings.EMAIL_PORT)
    controller.start()
    try:
        run_worker_once()  # not due yet: the backoff holds
        assert inbox.messages == []
        with connection.cursor() as cursor:  # time passes: the retry is due
            cursor.execute("UPDATE procrastinate_jobs SET scheduled_at = now() - interval '1 second' WHERE status = 'todo'")
        run_worker_once()
        run_worker_once()
    finally:
        controller.stop()

    assert len(inbox.messages) == 1
    received = inbox.messages[0]
    assert received["To"] == "resident@example.kr"
    assert received["Message-ID"] == message.message_id
    body = received.get_payload(decode=True).decode()
    assert f"/reports/confirm/{report.confirmation_token}/" in body
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.SENT and message.attempts == 2
