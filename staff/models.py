"""Who works a local government's reports, and how the work is split among them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    local_government = models.ForeignKey(
        "geodata.Area", on_delete=models.CASCADE, related_name="departments",
        limit_choices_to={"is_local_government": True}, verbose_name=_("local government"),
    )
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["local_government__code", "name"]
        constraints = [models.UniqueConstraint(fields=["local_government", "name"], name="department_name_per_government")]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return f"{self.name} ({self.local_government.name})"


class StaffRole(models.Model):
    """A person's role at one local government; granted by administrators in the admin."""

    class Role(models.TextChoices):
        STAFF = "staff", _("Staff")
        MODERATOR = "moderator", _("Moderator")
        EXPERT = "expert", _("Expert")

    class Notify(models.TextChoices):
        PER_REPORT = "per_report", _("An email for each new report")
        DAILY_DIGEST = "daily_digest", _("One daily digest")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles")
    local_government = models.ForeignKey(
        "geodata.Area", on_delete=models.CASCADE, related_name="staff_roles",
        limit_choices_to={"is_local_government": True}, verbose_name=_("local government"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.STAFF)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="roles", verbose_name=_("department"))
    notify = models.CharField(_("new report notices"), max_length=16, choices=Notify.choices, default=Notify.PER_REPORT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["local_government__code", "role", "user__username"]
        constraints = [models.UniqueConstraint(fields=["user", "local_government", "role"], name="one_role_per_user_government")]
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.local_government.name}"


class ReportAssignment(models.Model):
    """Who inside the responsible government works a report; the history is in the report's timeline."""

    report = models.OneToOneField("reports.Report", on_delete=models.CASCADE, related_name="assignment")
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="assignments")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_reports")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"#{self.report_id} → {self.department or ''} {self.officer or ''}".strip()


class DigestEntry(models.Model):
    """A new report waiting for a staff member's daily digest."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey("reports.Report", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "report"], name="one_digest_entry_per_report")]

    def __str__(self) -> str:
        return f"{self.user} #{self.report_id}"
