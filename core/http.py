"""The client's address, the one way every rate limit and the login lockout read it."""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _valid_ip(value: str) -> str:
    value = value.strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return ""


def client_ip(request) -> str:
    """The client's IP address ("" when unknown): REMOTE_ADDR, or the address our own proxies saw when `TRUSTED_PROXY_HOPS` of them are in front.

    Each proxy appends the address it received the request from to X-Forwarded-For, so the
    client is the N-th entry from the right; anything further left was written by the client
    and is ignored. With no trusted proxies (the default) the header is not read at all.
    """
    remote = _valid_ip(request.META.get("REMOTE_ADDR", ""))
    hops = int(getattr(settings, "TRUSTED_PROXY_HOPS", 0))
    if hops <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    # Fewer entries than proxies: the request skipped the outer ones; the leftmost is still ours.
    candidate = forwarded[-hops] if len(forwarded) >= hops else forwarded[0]
    return _valid_ip(candidate) or remote
