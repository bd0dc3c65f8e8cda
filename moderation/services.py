"""Moderation: residents flag, a government's moderators hide with a reason, repeated abuse blocks.

Every service owns its transaction and writes the audit trail in it. An item is any `Hideable`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError, ErrorCode
from core.events import send_event
from moderation.models import AccountBlock, Flag, FlagReason, Hideable, ModerationAction
from moderation.selectors import account_block_active, moderation_can_hide
from moderation.signals import account_blocked, content_hidden

REASON_MAX = 1000


def _require_hideable(item) -> None:
    if not isinstance(item, Hideable) or item.pk is None:
        raise DomainError(ErrorCode.NOT_FOUND, _("Nothing to moderate here."))


def _locked(item):
    """The item's row, locked, so two moderators do not both hide (or unhide) it."""
    return type(item).objects.select_for_update().get(pk=item.pk)


def content_flag(*, item, user, reason: str, now: datetime | None = None) -> Flag:
    """A resident's flag; one per person per item. Flags never hide anything by themselves."""
    _require_hideable(item)
    if user is None or not getattr(user, "is_authenticated", False):
        raise DomainError(ErrorCode.PERMISSION_DENIED, _("Sign in to flag content."))
    if reason not in FlagReason.values:
        raise DomainError(
            ErrorCode.INVALID_FLAG_REASON, _("Choose why: spam, offensive or off topic."), {"reason": [_("Choose a reason.")]}
        )
    now = now or timezone.now()
    content_type = ContentType.objects.get_for_model(item)
    try:
        with transaction.atomic():
            flag = Flag.objects.create(
                content_type=content_type, object_id=item.pk, reason=reason, flagged_by=user,
                government_id=item.moderation_government_id(), created_at=now,
            )
            ModerationAction.objects.create(
                action=ModerationAction.Action.FLAG, content_type=content_type, object_id=item.pk,
                government_id=item.moderation_government_id(), actor=user, author_id=item.moderation_author_id(),
                reason=reason, created_at=now,
            )
    except IntegrityError as exc:
        raise DomainError(ErrorCode.ALREADY_FLAGGED, _("You have already flagged this.")) from exc
    return flag


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(ErrorCode.REASON_REQUIRED, _("Give a reason."), {"reason": [_("Give a reason.")]})
    if len(reason) > REASON_MAX:
        raise DomainError(
            ErrorCode.INVALID, _("The reason is too long (at most %(max)d characters).") % {"max": REASON_MAX},
            {"reason": [_("Too long.")]},
        )
    return reason


def content_hide(*, item, actor, reason: str, now: datetime | None = None) -> ModerationAction:
    """Hide an item from the public, keeping its words in the audit trail; may block its author."""
    _require_hideable(item)
    if not moderation_can_hide(user=actor, item=item):
        raise DomainError(ErrorCode.PERMISSION_DENIED, _("Only the moderators of its local government can do this."))
    reason = _clean_reason(reason)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(item)
        if locked.is_hidden:
            raise DomainError(ErrorCode.ALREADY_HIDDEN, _("This is already hidden."))
        locked.is_hidden = True
        locked.save(update_fields=["is_hidden"])
        item.is_hidden = True
        action = ModerationAction.objects.create(
            action=ModerationAction.Action.HIDE, content_type=ContentType.objects.get_for_model(item), object_id=item.pk,
            government_id=locked.moderation_government_id(), actor=actor, author_id=locked.moderation_author_id(),
            reason=reason, original_text=locked.moderation_text(), created_at=now,
        )
        send_event(content_hidden, sender=type(item), item=locked, action=action)
        if action.author_id is not None:
            _block_if_repeated(author_id=action.author_id, now=now)
    return action


def content_unhide(*, item, actor, reason: str, now: datetime | None = None) -> ModerationAction:
    """Show a hidden item again; its hide no longer counts towards blocking the author."""
    _require_hideable(item)
    if not moderation_can_hide(user=actor, item=item):
        raise DomainError(ErrorCode.PERMISSION_DENIED, _("Only the moderators of its local government can do this."))
    reason = _clean_reason(reason)
    now = now or timezone.now()
    content_type = ContentType.objects.get_for_model(item)
    with transaction.atomic():
        locked = _locked(item)
        if not locked.is_hidden:
            raise DomainError(ErrorCode.NOT_HIDDEN, _("This is not hidden."))
        locked.is_hidden = False
        locked.save(update_fields=["is_hidden"])
        item.is_hidden = False
        ModerationAction.objects.filter(
            action=ModerationAction.Action.HIDE, content_type=content_type, object_id=item.pk, undone_at__isnull=True
        ).update(undone_at=now)
        return ModerationAction.objects.create(
            action=ModerationAction.Action.UNHIDE, content_type=content_type, object_id=item.pk,
            government_id=locked.moderation_government_id(), actor=actor, author_id=locked.moderation_author_id(),
            reason=reason, created_at=now,
        )


def _block_if_repeated(*, author_id: int, now: datetime) -> AccountBlock | None:
    """Block an author once `MODERATION_BLOCK_AFTER_HIDDEN` of their items were hidden within the window."""
    threshold = settings.MODERATION_BLOCK_AFTER_HIDDEN
    if threshold <= 0:
        return None
    since = now - timedelta(days=settings.MODERATION_BLOCK_WINDOW_DAYS)
    hidden = (
        ModerationAction.objects.filter(action=ModerationAction.Action.HIDE, author_id=author_id, undone_at__isnull=True, created_at__gte=since)
        .values("content_type", "object_id").distinct().count()
    )
    if hidden < threshold:
        return None
    from django.contrib.auth import get_user_model

    author = get_user_model().objects.select_for_update().get(pk=author_id)  # one block even if two hides race
    if account_block_active(user=author, now=now):
        return None
    days = settings.MODERATION_BLOCK_DAYS
    reason = _("%(count)d posts hidden by moderators within %(days)d days.") % {"count": hidden, "days": settings.MODERATION_BLOCK_WINDOW_DAYS}
    block = AccountBlock.objects.create(user=author, reason=reason, created_at=now, ends_at=now + timedelta(days=days) if days > 0 else None)
    ModerationAction.objects.create(action=ModerationAction.Action.BLOCK, author=author, reason=reason, created_at=now)
    send_event(account_blocked, sender=AccountBlock, block=block)
    return block


def account_block_lift(*, user, actor, reason: str, now: datetime | None = None) -> AccountBlock:
    """A superuser lifts a block early (blocks are site-wide, so no single government's moderators may)."""
    if not getattr(actor, "is_superuser", False):
        raise DomainError(ErrorCode.PERMISSION_DENIED, _("Only site administrators can lift a block."))
    reason = _clean_reason(reason)
    now = now or timezone.now()
    with transaction.atomic():
        block = account_block_active(user=user, now=now)
        if block is None:
            raise DomainError(ErrorCode.NOT_BLOCKED, _("This account is not blocked."))
        block.lifted_at, block.lifted_by = now, actor
        block.save(update_fields=["lifted_at", "lifted_by"])
        ModerationAction.objects.create(action=ModerationAction.Action.UNBLOCK, actor=actor, author=user, reason=reason, created_at=now)
    return block


def require_not_blocked(*, user, now: datetime | None = None) -> None:
    """Called by every service that posts resident content (proposals, comments, statements)."""
    block = account_block_active(user=user, now=now)
    if block is not None:
        if block.ends_at:
            message = _("Your account may not post until %(date)s: %(reason)s") % {
                "date": timezone.localtime(block.ends_at).strftime("%Y-%m-%d %H:%M"), "reason": block.reason,
            }
        else:
            message = _("Your account may not post: %(reason)s") % {"reason": block.reason}
        raise DomainError(ErrorCode.ACCOUNT_BLOCKED, message)
