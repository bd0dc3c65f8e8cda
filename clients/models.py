"""Registered apps that file reports through Open311 and the REST API, and their keys."""

from django.contrib.gis.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiClient(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    allowed_origins = models.TextField(_("allowed origins (CORS)"), blank=True, help_text=_("one per line"))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("API client")

    def __str__(self) -> str:
        return self.name


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

    class Meta:
        verbose_name = _("API key")

    def __str__(self) -> str:
        return f"{self.client.name} {self.prefix}…"
