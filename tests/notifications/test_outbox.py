"""The outbox: messages are queued with their change, delivered once by the worker, retried, kept when dead."""

from __future__ import annotations

import socket

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core.management import call_command
from django.db import connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from notifications.models import OutboundMessage
from notifications.outbox import message_enqueue, retry_delay
from notifications.worker import jobs_run_here
from tests.factories import UserFactory, make_report

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_down(settings):
    """The real SMTP backend, pointed at a port nothing listens on."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port()
    settings.EMAIL_TIMEOUT = 2
    return settings


def test_a_message_is_queued_with_its_change_and_not_without_it(mailoutbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        make_report(reporter_email="gone@example.kr", reporter=None)
        assert OutboundMessage.objects.filter(to=["gone@example.kr"]).exists()
        raise RuntimeError("the change is rolled back")
    assert not OutboundMessage.objects.exists()

    make_report(reporter_email="kept@example.kr", reporter=None)
    message = OutboundMessage.objects.get()
    assert message.to == ["kept@example.kr"] and message.status == OutboundMessage.Status.PENDING
    assert message.sent_at is None and message.attempts == 0  # nothing leaves before the worker runs


def test_delivery_is_once_with_a_stable_message_id(deliver_mail):
    make_report(reporter_email="resident@example.kr", reporter=None)
    message = OutboundMessage.objects.get()
    assert message.message_id.startswith("<") and message.message_id.endswith(">")
    mailoutbox = deliver_mail()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].message()["Message-ID"] == message.message_id
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.SENT and message.attempts == 1 and message.sent_at is not None
    assert len(deliver_mail()) == 1  # a second pass sends nothing again


def jobs_due_now() -> None:
    """Time passes: the scheduled retries are due."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE procrastinate_jobs SET scheduled_at = now() - interval '1 second' WHERE status = 'todo'")


def test_a_failed_delivery_backs_off_then_is_kept_dead_and_can_be_retried(smtp_down, mailoutbox):
    smtp_down.OUTBOX_MAX_ATTEMPTS = 3
    message = message_enqueue(to=["a@example.kr"], subject="제목", body="본문")
    assert jobs_run_here() == 1
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.PENDING and message.attempts == 1
    assert "ConnectionRefusedError" in message.last_error
    wait = (message.next_attempt_at - timezone.now()).total_seconds()
    assert 25 < wait <= 30  # OUTBOX_RETRY_BASE_SECONDS
    with connection.cursor() as cursor:  # the retry is a job of its own, due then
        cursor.execute("SELECT scheduled_at FROM procrastinate_jobs WHERE status = 'todo'")
        assert cursor.fetchall() == [(message.next_attempt_at,)]
    assert jobs_run_here() == 0  # not due yet: no attempt
    message.refresh_from_db()
    assert message.attempts == 1

    jobs_due_now()
    jobs_run_here()
    jobs_due_now()
    jobs_run_here()
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.DEAD and message.attempts == 3
    jobs_due_now()
    assert jobs_run_here() == 0  # dead stays dead: no job is left

    smtp_down.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is back
    call_command("retry_dead_messages", stdout=open("/dev/null", "w"))
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.PENDING and message.attempts == 0
    assert jobs_run_here() == 1
    assert [m.subject for m in mailoutbox] == ["제목"]


def test_a_duplicate_job_never_sends_twice(deliver_mail):
    from notifications.worker import DELIVER_MESSAGE, job_defer

    message = message_enqueue(to=["a@example.kr"], subject="한 번", body="b")
    job_defer(DELIVER_MESSAGE, message_id=message.pk)  # e.g. a stalled job retried after the send
    assert [m.subject for m in deliver_mail()] == ["한 번"]


def test_backoff_doubles_up_to_the_cap(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    settings.OUTBOX_RETRY_MAX_SECONDS = 3600
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert retry_delay(20).total_seconds() == 3600


def test_admin_lists_messages_and_retries_dead_ones(client):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    dead = message_enqueue(to=["a@example.kr"], subject="죽은 메일", body="b")
    OutboundMessage.objects.filter(pk=dead.pk).update(status=OutboundMessage.Status.DEAD, attempts=10, last_error="SMTPServerDisconnected")
    client.force_login(admin)
    page = client.get("/admin/notifications/outboundmessage/")
    assert page.status_code == 200 and "죽은 메일" in page.content.decode()
    response = client.post(
        "/admin/notifications/outboundmessage/", {"action": "retry_dead", "_selected_action": [dead.pk]}, follow=True
    )
    assert response.status_code == 200
    dead.refresh_from_db()
    assert dead.status == OutboundMessage.Status.PENDING and dead.attempts == 0
    assert admin_site.is_registered(OutboundMessage)
    request = RequestFactory().get("/")
    request.user = admin
    assert not admin_site._registry[OutboundMessage].has_add_permission(request)


def test_password_reset_goes_through_the_outbox(client, deliver_mail):
    UserFactory(username="walker", email="walker@example.kr")
    client.post("/accounts/password/reset/", {"email": "walker@example.kr"})
    assert OutboundMessage.objects.filter(to=["walker@example.kr"]).count() == 1
    assert "/accounts/password/reset/" in deliver_mail()[0].body
