"""Reads for moderation: is an account blocked, what is flagged, what happened to an item."""

from __future__ import annotations

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from moderation.models import AccountBlock, Flag, ModerationAction
from staff.selectors import MODERATE_ROLES, staff_roles


def account_block_active(*, user, now: datetime | None = None) -> AccountBlock | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    now = now or timezone.now()
    return (
        AccountBlock.objects.filter(user=user, lifted_at__isnull=True, created_at__lte=now)
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
        .annotate(flags=Count("id"), last_flagged_at=Max("created_at"), reasons=ArrayAgg("reason", distinct=True))
        .order_by("-flags", "-last_flagged_at")
    )
    out = []
    for row in rows:
        model = ContentType.objects.get_for_id(row["content_type"]).model_class()
        item = model.objects.filter(pk=row["object_id"]).first() if model else None
        if item is not None and not item.is_hidden:
            out.append({
                "item": item, "content_type_id": row["content_type"], "flags": row["flags"],
                "reasons": sorted(row["reasons"]), "last_flagged_at": row["last_flagged_at"],
            })
    return out


def moderation_governments(*, user):
    """The governments whose resident content this person moderates (superusers: every one)."""
    from geodata.models import Area

    if not getattr(user, "is_authenticated", False):
        return Area.objects.none()
    if user.is_superuser:
        return Area.objects.local_governments().current().order_by("code")
    return Area.objects.filter(staff_roles__user=user, staff_roles__role__in=MODERATE_ROLES).distinct().order_by("code")


def government_trail(*, government_id: int, limit: int = 50) -> list[ModerationAction]:
    """The latest moderation of a government's content, newest first (blocks are site-wide: not listed here)."""
    return list(ModerationAction.objects.filter(government_id=government_id).select_related("actor", "content_type")[:limit])
