"""Reads for moderation: is an account blocked, what is flagged, what happened to an item."""

from __future__ import annotations

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from moderation.models import AccountBlock, Flag, ModerationAction
from staff.selectors import MODERATE_ROLES, staff_roles


def account_block_active(*, user, now: datetime | None = None) -> AccountBlock | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    now = now or timezone.now()
    return (
        AccountBlock.objects.filter(user=user, lifted_at__isnull=True)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .order_by("-created_at")
        .first()
    )


def account_is_blocked(*, user, now: datetime | None = None) -> bool:
    """Whether the account may not post proposals, comments, statements (checked by their services)."""
    return account_block_active(user=user, now=now) is not None


def moderation_can_hide(*, user, item) -> bool:
    return bool(staff_roles(user=user, government_id=item.moderation_government_id()) & MODERATE_ROLES)


def item_flags(*, item) -> QuerySet[Flag]:
    content_type = ContentType.objects.get_for_model(item)
    return Flag.objects.filter(content_type=content_type, object_id=item.pk)


def item_trail(*, item) -> QuerySet[ModerationAction]:
    content_type = ContentType.objects.get_for_model(item)
    return ModerationAction.objects.filter(content_type=content_type, object_id=item.pk).select_related("actor")


def flagged_items(*, government_ids) -> list[dict]:
    """Items of these governments with flags, most flagged first: the moderators' queue."""
    rows = (
        Flag.objects.filter(government_id__in=list(government_ids))
        .values("content_type", "object_id")
        .annotate(flags=Count("id"), last_flagged_at=Max("created_at"))
        .order_by("-flags", "-last_flagged_at")
    )
    out = []
    for row in rows:
        model = ContentType.objects.get_for_id(row["content_type"]).model_class()
        item = model.objects.filter(pk=row["object_id"]).first() if model else None
        if item is not None and not item.is_hidden:
            out.append({"item": item, "flags": row["flags"], "last_flagged_at": row["last_flagged_at"]})
    return out
