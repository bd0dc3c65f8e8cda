"""The keyed hash residency stores instead of identifiers (DI, roll addresses, invitation codes)."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def keyed_hash(purpose: str, value: str) -> str:
    # Keyed, so the table cannot be turned back into identifiers by hashing guesses.
    key = (getattr(settings, "RESIDENCY_HASH_KEY", "") or settings.SECRET_KEY).encode()
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def email_hash(email: str) -> str:
    return keyed_hash("email", email.strip().lower())
