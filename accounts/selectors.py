"""Reads about accounts that other apps need (the domain asks these, not the tables)."""

from __future__ import annotations

from accounts.models import EmailConfirmation


def account_email_confirmed(*, user) -> bool:
    """True unless the account signed itself up and has not opened its confirmation link yet."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return not EmailConfirmation.objects.filter(user_id=user.pk, confirmed_at__isnull=True).exists()
