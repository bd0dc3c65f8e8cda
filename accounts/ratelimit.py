"""A small database-backed rate limiter, shared by every process of the site.

Call it where an anonymous action arrives (web report submission, comments, supports,
subscriptions), once per key you want to limit: the client address and, when given, the email.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import RateLimitHit
from core.http import client_ip


def _key_hash(scope: str, key: str) -> str:
    # Keyed, so the table cannot be turned back into addresses by hashing guesses.
    return hmac.new(settings.SECRET_KEY.encode(), f"{scope}:{key.strip().lower()}".encode(), hashlib.sha256).hexdigest()


def rate_limit_hit(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one action of `key` in `scope`; True when it is over `limit` within the window (refuse it).

    A refused action is not counted, so a client that waits gets through again.
    """
    key_hash = _key_hash(scope, key)
    since = timezone.now() - timedelta(seconds=window_seconds)
    with transaction.atomic():
        # Serialise concurrent hits of one key so two requests cannot both take the last slot.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key_hash])
        used = RateLimitHit.objects.filter(scope=scope, key_hash=key_hash, created_at__gte=since).count()
        if used >= limit:
            return True
        RateLimitHit.objects.create(scope=scope, key_hash=key_hash)
    return False


def rate_limit_request(request, *, scope: str, email: str = "", limit: int, window_seconds: int) -> bool:
    """True when this request is over the limit by its client address or by the email it gives."""
    if rate_limit_hit(scope=scope, key=f"ip:{client_ip(request) or 'unknown'}", limit=limit, window_seconds=window_seconds):
        return True
    if email and rate_limit_hit(scope=scope, key=f"email:{email}", limit=limit, window_seconds=window_seconds):
        return True
    return False


def rate_limit_purge(*, older_than_seconds: int = 86_400) -> int:
    """Forget counted actions older than the longest window."""
    deleted, _ = RateLimitHit.objects.filter(created_at__lt=timezone.now() - timedelta(seconds=older_than_seconds)).delete()
    return deleted


DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    # scope: (actions, per seconds)
    "report": (10, 3600),
    "comment": (20, 3600),
    "support": (30, 3600),
    "subscription": (10, 3600),
}


def limit_for(scope: str) -> tuple[int, int]:
    """settings.RATE_LIMITS overrides the defaults per scope."""
    return {**DEFAULT_LIMITS, **getattr(settings, "RATE_LIMITS", {})}[scope]


def rate_limited(request, *, scope: str, email: str = "") -> bool:
    limit, window = limit_for(scope)
    return rate_limit_request(request, scope=scope, email=email, limit=limit, window_seconds=window)


# Per-account limits, per hour: signing in is no longer a way around the limits.
ACCOUNT_LIMIT_SETTINGS = {
    "report": ("REPORTS_PER_ACCOUNT_PER_HOUR", 20),
    "comment": ("COMMENTS_PER_ACCOUNT_PER_HOUR", 30),
    "support": ("SUPPORTS_PER_ACCOUNT_PER_HOUR", 60),
}


def account_rate_limited(*, scope: str, user) -> bool:
    """Count one `scope` action of a signed-in account; True when it is over its hourly limit.

    Call it inside the transaction that saves the action, so an action that fails is not counted.
    """
    name, default = ACCOUNT_LIMIT_SETTINGS[scope]
    limit = int(getattr(settings, name, default))
    return rate_limit_hit(scope=f"account-{scope}", key=f"user:{user.pk}", limit=limit, window_seconds=3600)


def rate_limited_by_ip_and_email(request, *, scope: str, email: str, ip_limit: int, email_limit: int, window_seconds: int = 3600) -> bool:
    """Like rate_limit_request, with a limit of its own for the address given (sign-ups, password resets)."""
    if rate_limit_hit(scope=scope, key=f"ip:{client_ip(request) or 'unknown'}", limit=ip_limit, window_seconds=window_seconds):
        return True
    return bool(email) and rate_limit_hit(scope=scope, key=f"email:{email}", limit=email_limit, window_seconds=window_seconds)
