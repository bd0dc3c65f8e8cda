"""The outbox: one row per message, written in the transaction of the change that causes it.

Each row has a procrastinate job that delivers it (`manage.py run_worker`); see
notifications.outbox for the guarantee.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboundMessage(models.Model):
    class Kind(models.TextChoices):
        EMAIL = "email", _("Email")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        DEAD = "dead", _("Dead")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.EMAIL)
    to = models.JSONField(_("to"), default=list)
    subject = models.CharField(_("subject"), max_length=998)
    body = models.TextField(_("body"))
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    # Stable across retries, so a copy re-sent after a worker crash can be recognised by receivers.
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")
        indexes = [
            # The worker's only query: due pending rows, oldest first.
            models.Index(
                fields=["next_attempt_at"], name="outbox_pending_due", condition=models.Q(status="pending")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"


class ReportNotice(models.Model):
    """A new report whose staff notices and alerts the worker has still to write.

    Written in the report's transaction (the outbox record of "a report was filed"); the worker
    writes the notices of every waiting report in one pass (notifications.emails.report_notices_send),
    so a burst of reports costs one job, not one each.
    """

    report = models.OneToOneField("reports.Report", on_delete=models.CASCADE, primary_key=True, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("new report notice")
        verbose_name_plural = _("new report notices")

    def __str__(self) -> str:
        return f"report {self.report_id}"
