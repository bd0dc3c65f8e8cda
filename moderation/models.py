"""Moderation of resident content: flags, the audit trail, and blocked accounts.

Any model can be moderated by inheriting `Hideable` (an `is_hidden` column) and saying which
government moderates it, who wrote it and what it said; the audit trail keeps the words as they
were when hidden, so a later edit or anonymisation does not erase the record.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Hideable(models.Model):
    """What `moderation.services` needs of an item. Subclasses implement the three hooks."""

    is_hidden = models.BooleanField(_("hidden by a moderator"), default=False)

    class Meta:
        abstract = True

    def moderation_government_id(self) -> int:
        """The local government whose moderators may hide this item."""
        raise NotImplementedError

    def moderation_author_id(self) -> int | None:
        """The account that posted it (blocked after repeated abuse); None for nobody."""
        raise NotImplementedError

    def moderation_text(self) -> str:
        """The words as shown, kept in the audit trail when the item is hidden."""
        raise NotImplementedError


class FlagReason(models.TextChoices):
    SPAM = "spam", _("Spam")
    OFFENSIVE = "offensive", _("Offensive")
    OFF_TOPIC = "off_topic", _("Off topic")


class Flag(models.Model):
    """One person's flag on one item: a moderator's queue entry, never an automatic hide."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    reason = models.CharField(_("reason"), max_length=16, choices=FlagReason.choices)
    flagged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("flagged by"))
    government = models.ForeignKey("geodata.Area", on_delete=models.CASCADE, related_name="+", verbose_name=_("local government"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id", "flagged_by"], name="one_flag_per_person_per_item")]
        indexes = [models.Index(fields=["content_type", "object_id"]), models.Index(fields=["government", "created_at"])]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")

    def __str__(self) -> str:
        return f"{self.content_type.model}#{self.object_id} · {self.get_reason_display()}"


class ModerationAction(models.Model):
    """The audit trail: every flag, hide, unhide and block, with who, why and the original words."""

    class Action(models.TextChoices):
        FLAG = "flag", _("Flagged")
        HIDE = "hide", _("Hidden")
        UNHIDE = "unhide", _("Shown again")
        BLOCK = "block", _("Account blocked")
        UNBLOCK = "unblock", _("Account unblocked")

    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    government = models.ForeignKey("geodata.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("local government"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("author of the item")
    )
    reason = models.TextField(_("reason"), max_length=1000, blank=True)
    original_text = models.TextField(_("original text"), blank=True)
    # A hide that was undone no longer counts towards blocking its author.
    undone_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"]), models.Index(fields=["author", "action", "created_at"])]
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation actions")

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.created_at:%Y-%m-%d %H:%M}"


class AccountBlock(models.Model):
    """An account that may not post resident content until `ends_at` (or until lifted)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_blocks", verbose_name=_("account"))
    reason = models.TextField(_("reason"), max_length=1000)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True, help_text=_("empty: until lifted"))
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("account block")
        verbose_name_plural = _("account blocks")

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d}"
