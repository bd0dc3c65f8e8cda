"""Who may take part: the one rule object polls use, and proposals will.

An `Eligibility` is a kind plus, for residents, the areas (읍면동, 시군구 or 시도) they must live in.
`eligibility_check` answers the person's voter identity, or raises a DomainError saying why not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.selectors import account_email_confirmed
from core.errors import DomainError, ErrorCode
from geodata.models import Area
from residency.selectors import area_ancestor_ids, identity_di_hash, residence_get, residence_verified_government_ids


class Rule(models.TextChoices):
    SIGNED_IN = "signed_in", _lazy("Anyone signed in")
    IDENTITY_VERIFIED = "identity_verified", _lazy("Accounts with a verified identity")
    RESIDENTS = "residents", _lazy("Residents of the areas (declared)")
    VERIFIED_RESIDENTS = "verified_residents", _lazy("Residents of the areas (verified by the government)")


@dataclass(frozen=True)
class Eligibility:
    rule: str
    area_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def needs_areas(self) -> bool:
        return self.rule in (Rule.RESIDENTS, Rule.VERIFIED_RESIDENTS)


@dataclass(frozen=True)
class Participant:
    """Who is taking part, as far as counting goes: one identity, and where they live (for results)."""

    identity: str  # "di:<hash>" when identity is required (one per person), else "user:<pk>"
    area: Area | None  # the declared 읍면동, if any


def eligibility_check(*, eligibility: Eligibility, user) -> Participant:
    if user is None or not getattr(user, "is_authenticated", False):
        raise DomainError(ErrorCode.PERMISSION_DENIED, _("Sign in to take part."))
    if not account_email_confirmed(user=user):
        raise DomainError(ErrorCode.EMAIL_NOT_CONFIRMED, _("Confirm your email address first: open the link we emailed you."))
    residence = residence_get(user=user)
    area = residence.area if residence and residence.area_id else None
    identity = f"user:{user.pk}"
    if eligibility.rule == Rule.IDENTITY_VERIFIED:
        di_hash = identity_di_hash(user=user)
        if not di_hash:
            raise DomainError(ErrorCode.NOT_ELIGIBLE, _("Only people who verified their identity (본인인증) can take part."))
        identity = f"di:{di_hash}"
    elif eligibility.needs_areas:
        if area is None:
            raise DomainError(ErrorCode.NOT_ELIGIBLE, _("Only residents of the areas can take part: declare where you live (your 읍면동) first."))
        if not area_ancestor_ids(area=area) & set(eligibility.area_ids):
            raise DomainError(ErrorCode.NOT_ELIGIBLE, _("Only residents of the areas can take part; you declared %(area)s.") % {"area": area.name})
        if eligibility.rule == Rule.VERIFIED_RESIDENTS and not area_ancestor_ids(area=area) & residence_verified_government_ids(user=user):
            raise DomainError(ErrorCode.NOT_ELIGIBLE, _("Only residents verified by their local government can take part: enter the invitation code it gave you."))
    return Participant(identity=identity, area=area)


def eligibility_describe(*, eligibility: Eligibility, areas: list[Area]) -> str:
    label = str(Rule(eligibility.rule).label)
    if eligibility.needs_areas and areas:
        return f"{label}: {', '.join(area.name for area in areas)}"
    return label
