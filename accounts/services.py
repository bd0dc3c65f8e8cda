"""Account writes: sign-up with consent and the email confirmation link (privacy.services confirms it)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction

from accounts.models import EmailConfirmation, PrivacyConsent
from accounts.signals import account_needs_confirmation
from core.events import send_event

# Bump when the notice in templates/accounts/privacy_notice.html changes materially.
PRIVACY_NOTICE_VERSION = "2026-05"
CONFIRMATION_SALT = "accounts.email-confirmation"


@transaction.atomic
def user_signup(*, username: str, email: str, password: str) -> object:
    """Create an account, record the consent given on the form, and email the confirmation link.

    Until the address is confirmed the account's reports and supports wait, unpublished and uncounted.
    """
    user = get_user_model().objects.create_user(username=username, email=email, password=password)
    PrivacyConsent.objects.create(user=user, notice_version=PRIVACY_NOTICE_VERSION)
    EmailConfirmation.objects.create(user=user, email=user.email)
    send_event(account_needs_confirmation, get_user_model(), user=user, token=account_confirmation_token(user=user))
    return user


def account_confirmation_token(*, user) -> str:
    # Signed and timestamped: nothing to store, and it names the address it confirms.
    return signing.dumps({"user": user.pk, "email": user.email.lower()}, salt=CONFIRMATION_SALT, compress=True)


def account_confirmation_resend(*, user) -> bool:
    """Send the link again; False when there is nothing to confirm."""
    if not EmailConfirmation.objects.filter(user=user, confirmed_at__isnull=True).exists():
        return False
    send_event(account_needs_confirmation, get_user_model(), user=user, token=account_confirmation_token(user=user))
    return True
