"""Enqueue and deliver outbound messages.

Guarantee. `message_enqueue` writes the row, and defers its procrastinate delivery job, in the
caller's transaction: a message exists if and only if the change that caused it committed. The
job (notifications.tasks.deliver_message → `message_deliver`) locks the row, hands it to the email
backend and marks it sent in that same transaction. Normal path: exactly once. If the worker dies
after the SMTP server accepted the message but before the commit, the row is still pending and is
sent again (the stalled job is retried) with the same Message-ID: at least once, with a duplicate a
receiver can recognise. A failure is recorded and a new job deferred after `retry_delay` (the one
home of the backoff); after OUTBOX_MAX_ATTEMPTS the row is dead, kept for administrators to read
and retry (admin action, `manage.py retry_dead_messages`).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from notifications.models import OutboundMessage
from notifications.worker import DELIVER_MESSAGE, job_defer

logger = logging.getLogger(__name__)


def _message_id() -> str:
    host = urlsplit(settings.SITE_URL).hostname or "dongne.localhost"
    return make_msgid(domain=host)


def message_enqueue(*, to: list[str], subject: str, body: str, headers: dict | None = None) -> OutboundMessage:
    """Queue one email; call it inside the transaction of the change it reports."""
    with transaction.atomic(savepoint=False):  # the row and its job together; no savepoint inside a caller's
        message = OutboundMessage.objects.create(
            kind=OutboundMessage.Kind.EMAIL, to=list(to), subject=subject, body=body,
            headers=dict(headers or {}), message_id=_message_id(),
        )
        job_defer(DELIVER_MESSAGE, message_id=message.pk)
    return message


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: base, 2×base, 4×base ... capped."""
    seconds = settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.OUTBOX_RETRY_MAX_SECONDS))


def _email(message: OutboundMessage, connection) -> EmailMessage:
    headers = {**message.headers, "Message-ID": message.message_id}
    return EmailMessage(subject=message.subject, body=message.body, to=message.to, headers=headers, connection=connection)


def message_deliver(*, message_id: int) -> bool:
    """Send one pending message and mark it sent, in one transaction; returns whether it was sent.

    A message already sent, dead, or being sent by another worker (row locked) is left alone, so
    a duplicate job never sends twice. A failure is recorded and retried later by a new job.
    """
    with transaction.atomic():
        message = (
            OutboundMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status=OutboundMessage.Status.PENDING)
            .first()
        )
        if message is None:
            return False
        connection = get_connection()
        try:
            _email(message, connection).send()
        except Exception as exc:  # any backend failure: record it, retry later
            _record_failure(message, exc)
            return False
        finally:
            _close(connection)
        message.status = OutboundMessage.Status.SENT
        message.attempts += 1
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["status", "attempts", "sent_at", "last_error"])
        return True


def _close(connection) -> None:
    try:
        connection.close()
    except Exception:  # closing a broken SMTP session may fail too; nothing is lost
        logger.debug("Closing the email connection failed", exc_info=True)


def _record_failure(message: OutboundMessage, exc: Exception) -> None:
    message.attempts += 1
    message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        message.status = OutboundMessage.Status.DEAD
        logger.error("Message %s to %s is dead after %d attempts: %s", message.pk, message.to, message.attempts, message.last_error)
    else:
        message.next_attempt_at = timezone.now() + retry_delay(message.attempts)
        job_defer(DELIVER_MESSAGE, schedule_at=message.next_attempt_at, message_id=message.pk)
        logger.warning("Message %s to %s failed (attempt %d), retrying at %s: %s", message.pk, message.to, message.attempts, message.next_attempt_at, message.last_error)
    message.save(update_fields=["status", "attempts", "last_error", "next_attempt_at"])


@transaction.atomic
def messages_retry_dead(*, ids: list[int] | None = None) -> int:
    """Give dead messages a fresh set of attempts, due now; returns how many."""
    dead = OutboundMessage.objects.select_for_update().filter(status=OutboundMessage.Status.DEAD)
    if ids is not None:
        dead = dead.filter(pk__in=ids)
    dead_ids = list(dead.values_list("pk", flat=True))
    OutboundMessage.objects.filter(pk__in=dead_ids).update(status=OutboundMessage.Status.PENDING, attempts=0, next_attempt_at=timezone.now())
    for message_id in dead_ids:
        job_defer(DELIVER_MESSAGE, message_id=message_id)
    return len(dead_ids)
