"""A resident's grant: the one way an app (an API client) acts for a person.

The person, signed in on the site, agrees that one app may do named things for them (its purposes)
and gets a signed token, shown once, to paste into that app. The app sends it with its own API key;
the token names the person, the app, the purposes and the expiry. It is signed with SECRET_KEY (so
it cannot be altered) and bound to the password's hash (so changing the password withdraws every
grant). Nothing is stored: a grant is checked, not looked up.

Accounts is the lowest domain app, so the app is named by its id only; the channel that issues a
grant checks that the app exists and is active, and the API key's check does the same on each use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import models
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError, ErrorCode

GRANT_SALT = "accounts.resident-grant"


class Purpose(models.TextChoices):
    """What an app may do for the person; each API endpoint that acts for a resident names one."""

    CAMPAIGN_ENTRIES = "campaign_entries", gettext_lazy("post entries to mapping campaigns")
    POLL_VOTES = "poll_votes", gettext_lazy("vote in polls")
    PROPOSALS = "proposals", gettext_lazy("file, support and comment on proposals")
    TOPICS = "topics", gettext_lazy("write and vote on the statements of topics")


@dataclass(frozen=True)
class ResidentGrant:
    user: object
    client_id: int
    purposes: frozenset[str]
    expires_at: datetime


def _password_check(user) -> str:
    # Changes with the password: changing it withdraws every grant the person gave.
    return salted_hmac(GRANT_SALT, f"{user.pk}:{user.password}").hexdigest()[:20]


def _invalid() -> DomainError:
    return DomainError(ErrorCode.RESIDENT_GRANT_INVALID, _("The resident's grant for this app is not valid, was withdrawn or has expired: ask them for a new one."))


def resident_grant_issue(*, user, client_id: int, purposes: list[str], now: datetime | None = None) -> str:
    """The token the person pastes into one app so it acts for them for these purposes; shown once."""
    if not user.is_authenticated or not user.is_active:
        raise DomainError(ErrorCode.PERMISSION_DENIED, _("Sign in to take part."))
    chosen = sorted(set(purposes))
    if not chosen or any(p not in Purpose.values for p in chosen):
        raise DomainError(ErrorCode.INVALID_PARAMETER, _("Choose what the app may do for you."), {"purposes": [_("Choose at least one.")]})
    expires_at = (now or timezone.now()) + timedelta(days=settings.RESIDENT_GRANT_DAYS)
    payload = {"r": user.pk, "c": client_id, "p": chosen, "x": int(expires_at.timestamp()), "h": _password_check(user)}
    return signing.dumps(payload, salt=GRANT_SALT, compress=True)


def resident_grant_read(*, token: str, client_id: int, now: datetime | None = None) -> ResidentGrant:
    """The grant an app presents: signed by us, issued to this very app, unexpired, not withdrawn."""
    try:
        data = signing.loads(token, salt=GRANT_SALT)
    except signing.BadSignature as exc:
        raise _invalid() from exc
    if not isinstance(data, dict) or data.get("c") != client_id or not isinstance(data.get("x"), int):
        raise _invalid()
    expires_at = datetime.fromtimestamp(data["x"], tz=UTC)
    if expires_at <= (now or timezone.now()):
        raise _invalid()
    user = get_user_model().objects.filter(pk=data.get("r"), is_active=True).first()
    if user is None or not constant_time_compare(str(data.get("h", "")), _password_check(user)):
        raise _invalid()
    return ResidentGrant(user=user, client_id=client_id, purposes=frozenset(data.get("p") or ()), expires_at=expires_at)


def resident_grant_require(*, grant: ResidentGrant, purpose: str) -> None:
    """An app may do for the person only what they agreed to."""
    if purpose not in grant.purposes:
        raise DomainError(
            ErrorCode.RESIDENT_GRANT_PURPOSE,
            _("The resident did not let this app %(purpose)s: ask them for a grant that includes it.") % {"purpose": Purpose(purpose).label},
        )
