"""Absolute links for emails and feeds: the one place that knows the site's own address."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def site_url(path: str = "") -> str:
    return settings.SITE_URL.rstrip("/") + path


def absolute_url(view_name: str, *args) -> str:
    return site_url(reverse(view_name, args=args))
