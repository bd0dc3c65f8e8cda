"""Proposals and the duty to answer them.

A proposal is addressed to one local government. Supports from eligible people count towards the
government's thresholds; crossing one creates a public `Obligation` with a deadline, which the
government meets with an `Answer` (under review with a next date, accepted, declined).
"""

from django.conf import settings
from django.contrib.gis.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moderation.models import Hideable


class ProposalQuerySet(models.QuerySet):
    def counted(self):
        """What statistics and scorecards count: no examples."""
        return self.filter(is_example=False)

    def public(self):
        return self.filter(is_hidden=False)


class Proposal(Hideable):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    local_government = models.ForeignKey(
        "geodata.Area", on_delete=models.PROTECT, related_name="proposals", verbose_name=_("local government")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals", verbose_name=_("author")
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("proposal"), max_length=8000)
    location = models.PointField(_("location"), srid=4326)
    reports = models.ManyToManyField("reports.Report", blank=True, related_name="proposals", verbose_name=_("related reports"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    # Kept with the supports, under the proposal's row lock, so thresholds are crossed exactly once.
    support_count = models.PositiveIntegerField(_("supports"), default=0)
    is_example = models.BooleanField(_("example"), default=False, help_text=_("demo data, never counted"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["local_government", "status"])]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status != self.Status.OPEN

    def moderation_government_id(self) -> int:
        return self.local_government_id

    def moderation_author_id(self) -> int | None:
        return self.author_id

    def moderation_text(self) -> str:
        return f"{self.title}\n\n{self.body}"
