"""Service ratings: one per closing of a report, by its reporter, kept without naming anyone."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ServiceRating(models.Model):
    """No person column: the report's reporter gave it, and deleting that account leaves it anonymous."""

    report = models.ForeignKey("reports.Report", on_delete=models.CASCADE, related_name="ratings", verbose_name=_("report"))
    # The closing the rating is about: a report reopened and closed again can be rated again.
    closed_event = models.OneToOneField("reports.ReportEvent", on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField(_("rating"))
    solved = models.BooleanField(_("really solved"))
    created_at = models.DateTimeField(_("rated at"), default=timezone.now)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="rating_from_1_to_5")]
        verbose_name = _("service rating")
        verbose_name_plural = _("service ratings")

    def __str__(self) -> str:
        return f"#{self.report_id} · {self.score}"
