"""Reads about identity and residence (eligibility reads these, not the tables)."""

from __future__ import annotations

from accounts.selectors import account_email_confirmed
from geodata.models import Area, Level
from residency.hashing import email_hash
from residency.models import IdentityVerification, Residence, RollEntry


def identity_di_hash(*, user) -> str | None:
    return IdentityVerification.objects.filter(user_id=user.pk).values_list("di_hash", flat=True).first()


def residence_get(*, user) -> Residence | None:
    if user is None or not user.is_authenticated:
        return None
    return Residence.objects.select_related("area__local_government", "verified_government").filter(user_id=user.pk).first()


def residence_verified_government_ids(*, user) -> set[int]:
    """Governments that vouch for this person living with them: a redeemed code, or the roll (by confirmed address)."""
    ids: set[int] = set()
    residence = Residence.objects.filter(user_id=user.pk).only("verified_government_id").first()
    if residence and residence.verified_government_id:
        ids.add(residence.verified_government_id)
    if user.email and account_email_confirmed(user=user):
        ids |= set(RollEntry.objects.filter(email_hash=email_hash(user.email)).values_list("local_government_id", flat=True))
    return ids


def area_ancestor_ids(*, area: Area) -> set[int]:
    """The area, its parents up to the province, and its local government."""
    ids = {area.pk}
    node = area
    for _depth in range(5):  # 읍면동 -> 구 -> 시 -> 시도 at most
        if not node.parent_id:
            break
        ids.add(node.parent_id)
        node = Area.objects.only("id", "parent_id").get(pk=node.parent_id)
    if area.local_government_id:
        ids.add(area.local_government_id)
    return ids


def submunicipal_get(*, code: str) -> Area | None:
    return Area.objects.current().filter(code=code, level=Level.SUBMUNICIPAL).first()
