"""Registered apps that file reports through Open311 and the REST API, and their keys."""

from django.contrib.gis.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiClient(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    allowed_origins = models.TextField(_("allowed origins (CORS)"), blank=True, help_text=_("one per line"))
    is_active = models.BooleanField(_("active"), default=True)
    # Set for a government's own apps: their staff-scoped keys see that government's reporters' contacts.
    local_government = models.ForeignKey(
        "geodata.Area", verbose_name=_("local government"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", limit_choices_to={"is_local_government": True},
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("API client")

    def __str__(self) -> str:
        return self.name

    def origin_list(self) -> list[str]:
        return [line.strip().rstrip("/") for line in self.allowed_origins.splitlines() if line.strip()]


class Scope(models.TextChoices):
    READ = "read", _("Read")
    SUBMIT = "submit", _("Submit reports, comments and supports")
    STAFF = "staff", _("Staff of the client's local government")


class ApiKey(models.Model):
    """A key is shown once at creation; only its SHA-256 hash is stored."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="keys")
    prefix = models.CharField(max_length=12, db_index=True)
    hashed_key = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    rate_limit_per_minute = models.PositiveIntegerField(default=120)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # Fixed-window rate limit counter, bumped by one UPDATE ... RETURNING so every process agrees.
    window_start = models.DateTimeField(null=True, blank=True, editable=False)
    window_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("API key")

    def __str__(self) -> str:
        return f"{self.client.name} {self.prefix}…"

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def sees_reporter_of(self, report) -> bool:
        """Only staff of the responsible government may see a reporter's email and phone."""
        government_id = self.client.local_government_id
        return self.has_scope(Scope.STAFF) and government_id is not None and government_id == report.local_government_id

    @property
    def is_usable(self) -> bool:
        return (
            self.revoked_at is None
            and (self.expires_at is None or self.expires_at > timezone.now())
            and self.client.is_active
        )


class IdempotencyRecord(models.Model):
    """The first response to a report-creating POST with an Idempotency-Key, replayed on retries."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="idempotency_records")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField(null=True)
    response_content_type = models.CharField(max_length=100, blank=True)
    response_body = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "key"], name="idempotency_key_per_client")]
