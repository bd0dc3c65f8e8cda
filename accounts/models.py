"""Accounts keep Django's User; here only what PIPA and abuse control need next to it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PrivacyConsent(models.Model):
    """Proof of consent at collection (PIPA art. 15): who agreed to which notice, and when."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="privacy_consents")
    notice_version = models.CharField(_("notice version"), max_length=20)
    accepted_at = models.DateTimeField(_("accepted at"), default=timezone.now)

    class Meta:
        ordering = ["-accepted_at"]
        verbose_name = _("privacy consent")
        verbose_name_plural = _("privacy consents")

    def __str__(self) -> str:
        return f"{self.user} · {self.notice_version}"


class RateLimitHit(models.Model):
    """One counted action. The key is a keyed hash, so client addresses and emails are not stored."""

    scope = models.CharField(max_length=40)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["scope", "key_hash", "created_at"])]

    def __str__(self) -> str:
        return f"{self.scope} {self.created_at:%Y-%m-%d %H:%M}"


class EmailConfirmation(models.Model):
    """A self-signed-up account's address until its owner opens the emailed link.

    Accounts an administrator made (admin, createsuperuser) have none and are trusted as they are.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_confirmation")
    email = models.EmailField(_("email"))
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("email confirmation")
        verbose_name_plural = _("email confirmations")

    def __str__(self) -> str:
        return f"{self.user} · {'confirmed' if self.confirmed_at else 'waiting'}"
