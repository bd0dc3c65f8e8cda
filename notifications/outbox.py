"""Enqueue and deliver outbound messages.

Guarantee. `message_enqueue` writes the row in the caller's transaction: a message exists if and
only if the change that caused it committed. `outbox_deliver_due` takes one due row at a time with
`SELECT ... FOR UPDATE SKIP LOCKED` (so workers never take the same row), hands it to the email
backend and marks it sent in that same transaction. Normal path: exactly once. If the worker dies
after the SMTP server accepted the message but before the commit, the row is still pending and is
sent again with the same Message-ID: at least once, with a duplicate a receiver can recognise.
A failure is recorded with exponential backoff; after OUTBOX_MAX_ATTEMPTS the row is dead, kept for
administrators to read and retry (admin action, `manage.py retry_dead_messages`).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from notifications.models import OutboundMessage

logger = logging.getLogger(__name__)


def _message_id() -> str:
    host = urlsplit(settings.SITE_URL).hostname or "dongne.localhost"
    return make_msgid(domain=host)


def message_enqueue(*, to: list[str], subject: str, body: str, headers: dict | None = None) -> OutboundMessage:
    """Queue one email; call it inside the transaction of the change it reports."""
    return OutboundMessage.objects.create(
        kind=OutboundMessage.Kind.EMAIL, to=list(to), subject=subject, body=body,
        headers=dict(headers or {}), message_id=_message_id(),
    )


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: base, 2×base, 4×base ... capped."""
    seconds = settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.OUTBOX_RETRY_MAX_SECONDS))


def _email(message: OutboundMessage, connection) -> EmailMessage:
    headers = {**message.headers, "Message-ID": message.message_id}
    return EmailMessage(subject=message.subject, body=message.body, to=message.to, headers=headers, connection=connection)


def outbox_deliver_due(*, limit: int = 100, now: datetime | None = None) -> int:
    """Deliver up to `limit` due messages, one transaction each; returns how many were sent."""
    sent = 0
    connection = None
    try:
        for _ in range(limit):
            with transaction.atomic():
                message = (
                    OutboundMessage.objects.select_for_update(skip_locked=True)
                    .filter(status=OutboundMessage.Status.PENDING, next_attempt_at__lte=now or timezone.now())
                    .order_by("next_attempt_at", "pk")
                    .first()
                )
                if message is None:
                    break
                if connection is None:
                    connection = get_connection()  # one SMTP session for the batch, opened on the first send
                try:
                    _email(message, connection).send()
                except Exception as exc:  # any backend failure: record it, retry later, keep the batch going
                    _record_failure(message, exc)
                    _close(connection)
                    connection = None
                    continue
                message.status = OutboundMessage.Status.SENT
                message.attempts += 1
                message.sent_at = timezone.now()
                message.last_error = ""
                message.save(update_fields=["status", "attempts", "sent_at", "last_error"])
                sent += 1
    finally:
        _close(connection)
    return sent


def _close(connection) -> None:
    if connection is not None:
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
        logger.warning("Message %s to %s failed (attempt %d), retrying at %s: %s", message.pk, message.to, message.attempts, message.next_attempt_at, message.last_error)
    message.save(update_fields=["status", "attempts", "last_error", "next_attempt_at"])


@transaction.atomic
def messages_retry_dead(*, ids: list[int] | None = None) -> int:
    """Give dead messages a fresh set of attempts, due now; returns how many."""
    dead = OutboundMessage.objects.filter(status=OutboundMessage.Status.DEAD)
    if ids is not None:
        dead = dead.filter(pk__in=ids)
    return dead.update(status=OutboundMessage.Status.PENDING, attempts=0, next_attempt_at=timezone.now())


def outbox_state(*, now: datetime | None = None) -> dict:
    """Queue depth and how long the oldest undelivered message has waited, for /healthz."""
    now = now or timezone.now()
    pending = OutboundMessage.objects.filter(status=OutboundMessage.Status.PENDING)
    oldest = pending.order_by("created_at").values_list("created_at", flat=True).first()
    return {
        "queue_depth": pending.count(),
        "oldest_pending_seconds": int((now - oldest).total_seconds()) if oldest else 0,
    }
