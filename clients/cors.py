"""CORS: a browser app may call the API from the origins its client registered."""

from __future__ import annotations

from clients.models import ApiClient


def origin_allowed(origin: str) -> bool:
    origin = origin.rstrip("/")
    clients = ApiClient.objects.filter(is_active=True, allowed_origins__contains=origin).only("allowed_origins")
    return any(origin in client.origin_list() for client in clients)


def cors_allow_registered_origins(sender, request, **kwargs) -> bool:
    origin = request.headers.get("Origin")
    return bool(origin) and origin_allowed(origin)
