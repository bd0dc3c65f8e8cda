"""Who works a local government's reports, and how the work is split among them."""

import uuid
from datetime import timedelta

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
    """A person's role at one local government; granted on the team page by the government's
    administrators (a superuser grants the first administrator)."""

    class Role(models.TextChoices):
        STAFF = "staff", _("Staff")
        MODERATOR = "moderator", _("Moderator")
        EXPERT = "expert", _("Expert")
        ADMINISTRATOR = "administrator", _("Government administrator")

    class Notify(models.TextChoices):
        PER_REPORT = "per_report", _("An email for each new report")
        DAILY_DIGEST = "daily_digest", _("One daily digest")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles", verbose_name=_("user"))
    local_government = models.ForeignKey(
        "geodata.Area", on_delete=models.CASCADE, related_name="staff_roles",
        limit_choices_to={"is_local_government": True}, verbose_name=_("local government"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.STAFF)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="roles", verbose_name=_("department"))
    notify = models.CharField(_("new report notices"), max_length=16, choices=Notify.choices, default=Notify.PER_REPORT)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["local_government__code", "role", "user__username"]
        constraints = [models.UniqueConstraint(fields=["user", "local_government", "role"], name="one_role_per_user_government")]
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.local_government.name}"


class ReportAssignment(models.Model):
    """Who inside the responsible government works a report; the history is in the report's timeline."""

    report = models.OneToOneField("reports.Report", on_delete=models.CASCADE, related_name="assignment", verbose_name=_("report"))
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="assignments", verbose_name=_("department")
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_reports", verbose_name=_("officer")
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("assigned by")
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)

    class Meta:
        verbose_name = _("report assignment")
        verbose_name_plural = _("report assignments")

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


class StaffInvitation(models.Model):
    """An emailed invitation to take a role at a government; the link's token is the secret."""

    VALID_DAYS = 14

    local_government = models.ForeignKey(
        "geodata.Area", on_delete=models.CASCADE, related_name="staff_invitations", verbose_name=_("local government")
    )
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=16, choices=StaffRole.Role.choices, default=StaffRole.Role.STAFF)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("accepted by")
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("staff invitation")
        verbose_name_plural = _("staff invitations")

    def __str__(self) -> str:
        return f"{self.email} · {self.get_role_display()} · {self.local_government.name}"

    @property
    def expires_at(self):
        return self.created_at + timedelta(days=self.VALID_DAYS)

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and timezone.now() < self.expires_at


class ReplyTemplate(models.Model):
    """A government's saved public reply, picked in the status and update forms to fill the note."""

    local_government = models.ForeignKey(
        "geodata.Area", on_delete=models.CASCADE, related_name="reply_templates", verbose_name=_("local government")
    )
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("text"), max_length=4000)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["local_government__code", "title"]
        constraints = [models.UniqueConstraint(fields=["local_government", "title"], name="reply_template_title_per_government")]
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")

    def __str__(self) -> str:
        return self.title
