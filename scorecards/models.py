"""Precomputed scorecards of the local governments, and the resident population they are read against."""

from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _


class PeerGroup(models.TextChoices):
    PROVINCE = "province", _("Province (광역)")
    CITY = "city", _("City (시)")
    COUNTY = "county", _("County (군)")
    DISTRICT = "district", _("Autonomous district (자치구)")


class Scorecard(models.Model):
    """One row per current local government, rewritten whole by `scorecards_refresh`."""

    area = models.OneToOneField("geodata.Area", on_delete=models.CASCADE, related_name="scorecard")
    peer_group = models.CharField(_("peer group"), max_length=16, choices=PeerGroup.choices)
    reports_received = models.PositiveIntegerField(_("reports received"), default=0)
    # {key: {"value", "low", "high", "n"} | {"value": null, "reason"}} for every catalogue indicator.
    indicators = models.JSONField(default=dict)
    # Kaplan–Meier curves (own and peer group), funnel position and the 읍면동 breakdown.
    detail = models.JSONField(default=dict)
    closed_reports = models.PositiveIntegerField(_("closed reports"), default=0)
    band = models.PositiveSmallIntegerField(_("band"), null=True)
    band_reason = models.CharField(max_length=16, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        ordering = ["area__code"]
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")

    def __str__(self) -> str:
        return f"{self.area} {self.computed_at:%Y-%m-%d}"


class Population(models.Model):
    """Resident population (주민등록 인구) of a local government for one month."""

    area = models.ForeignKey("geodata.Area", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"), help_text=_("the first day of the month"))
    population = models.PositiveIntegerField(_("population"))
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["area", "month"], name="one_population_per_area_month")]
        verbose_name = _("population")
        verbose_name_plural = _("populations")

    def __str__(self) -> str:
        return f"{self.area} {self.month:%Y-%m}: {self.population}"


class ChangedGovernment(models.Model):
    """A government whose reports changed since the last refresh: the incremental refresh's work list.

    Written by statement-level triggers on reports and supports (migration 0002), append-only and
    without a unique key, so writers never wait on each other or on a refresh: the refresh deletes
    the marks it can see and recomputes those governments; a mark committed later waits for the next.
    """

    area_id = models.BigIntegerField()
    marked_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = _("government with changed reports")
        verbose_name_plural = _("governments with changed reports")

    def __str__(self) -> str:
        return f"{self.area_id} {self.marked_at}"
