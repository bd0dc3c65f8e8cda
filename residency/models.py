"""Identity and residence: what eligibility rules (polls, proposals) read.

Nothing here identifies a person beyond what the account already holds: the identity provider's
DI and the residents' roll are kept only as keyed hashes, invitation codes only hashed.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IdentityVerification(models.Model):
    """An account whose holder passed 본인인증 (phone, i-PIN) through the configured adapter.

    `di_hash` is HMAC-SHA256 of the provider's site-specific identifier (DI): one person, one
    account, whichever email they use. A resident registration number is never asked for nor kept.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="identity_verification")
    di_hash = models.CharField(max_length=64, unique=True)
    provider = models.CharField(_("provider"), max_length=40)
    verified_at = models.DateTimeField(_("verified at"), default=timezone.now)

    class Meta:
        verbose_name = _("identity verification")
        verbose_name_plural = _("identity verifications")

    def __str__(self) -> str:
        return f"{self.user} · {self.provider}"


class Residence(models.Model):
    """Where an account's holder lives: a declared 읍면동, and a government that verified it."""

    class Method(models.TextChoices):
        ROLL = "roll", _("Residents' roll")
        CODE = "code", _("Invitation code")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="residence")
    area = models.ForeignKey(
        "geodata.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("declared 읍면동"),
    )
    declared_at = models.DateTimeField(_("declared at"), null=True, blank=True)
    verified_government = models.ForeignKey(
        "geodata.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("verified by"),
    )
    verified_method = models.CharField(_("verified by way of"), max_length=8, choices=Method.choices, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("residence")
        verbose_name_plural = _("residences")

    def __str__(self) -> str:
        return f"{self.user} · {self.area.name if self.area_id else '-'}"


class RollEntry(models.Model):
    """One address on a government's residents' roll, as a keyed hash (the roll itself is not kept)."""

    local_government = models.ForeignKey("geodata.Area", on_delete=models.CASCADE, related_name="+")
    email_hash = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["local_government", "email_hash"], name="one_roll_entry_per_address")]
        indexes = [models.Index(fields=["email_hash"])]

    def __str__(self) -> str:
        return f"{self.local_government_id} · {self.email_hash[:8]}"


class InvitationCode(models.Model):
    """A one-time residence code a government hands out (by post, at the 주민센터); stored hashed."""

    local_government = models.ForeignKey("geodata.Area", on_delete=models.CASCADE, related_name="+", verbose_name=_("local government"))
    code_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("residence invitation code")
        verbose_name_plural = _("residence invitation codes")

    def __str__(self) -> str:
        return f"{self.local_government_id} · {'used' if self.used_at else 'unused'}"
