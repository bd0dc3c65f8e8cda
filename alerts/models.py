"""Area alerts: new reports in a local government, or near a point, by email."""

import uuid

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Subscription(models.Model):
    # Either an account (its email) or a bare email address confirmed by a link.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions")
    email = models.EmailField(_("email"), blank=True)
    # Either a local government or a circle around a point.
    local_government = models.ForeignKey(
        "geodata.Area", null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions",
        limit_choices_to={"is_local_government": True}, verbose_name=_("local government"),
    )
    point = models.PointField(srid=4326, null=True, blank=True)
    radius_m = models.PositiveIntegerField(_("radius (m)"), null=True, blank=True)
    # One token both confirms and unsubscribes: whoever holds the emails controls the alert.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(user__isnull=False) | ~Q(email=""), name="subscription_has_subscriber"),
            models.CheckConstraint(
                condition=(Q(local_government__isnull=False, point__isnull=True, radius_m__isnull=True)
                           | Q(local_government__isnull=True, point__isnull=False, radius_m__isnull=False)),
                name="subscription_area_or_circle",
            ),
        ]
        verbose_name = _("area alert")
        verbose_name_plural = _("area alerts")

    def __str__(self) -> str:
        return f"{self.address} · {self.describe()}"

    @property
    def address(self) -> str:
        return self.user.email if self.user_id and self.user.email else self.email

    def describe(self) -> str:
        if self.local_government_id:
            return self.local_government.name
        return _("within %(radius)d m of %(lat).5f, %(lon).5f") % {"radius": self.radius_m, "lat": self.point.y, "lon": self.point.x}


class ReportEmailOptOut(models.Model):
    """An address that stopped the emails about one report (from the reporter's private page)."""

    report = models.ForeignKey("reports.Report", on_delete=models.CASCADE, related_name="+", verbose_name=_("report"))
    email = models.EmailField(_("email"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "email"], name="one_opt_out_per_report_and_email")]
        verbose_name = _("stopped report emails")
        verbose_name_plural = _("stopped report emails")

    def __str__(self) -> str:
        return f"#{self.report_id} {self.email}"
