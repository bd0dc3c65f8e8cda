"""API keys for DRF views: `Authorization: Bearer <key>` or `X-Api-Key: <key>`, scopes and the rate limit."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions, permissions
from rest_framework.authentication import BaseAuthentication
from rest_framework.throttling import BaseThrottle

from clients.models import ApiKey, Scope
from clients.services import api_key_authenticate, api_key_rate_limit_hit
from core.errors import DomainError


def raw_key_from_headers(request) -> str | None:
    key = request.headers.get("X-Api-Key")
    if key:
        return key
    scheme, _sep, credentials = (request.headers.get("Authorization") or "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return None


class ApiKeyAuthentication(BaseAuthentication):
    """No key: anonymous (public reads). A bad, revoked or expired key: 401 at once."""

    def authenticate(self, request):
        raw_key = raw_key_from_headers(request)
        if raw_key is None:
            return None
        try:
            key = api_key_authenticate(raw_key=raw_key)
        except DomainError as exc:
            raise exceptions.AuthenticationFailed(detail=exc.message, code=str(exc.code)) from exc
        return AnonymousUser(), key

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class ReadOrSubmitKey(permissions.BasePermission):
    """Anyone reads public data; writes need a key with the submit scope."""

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        if not isinstance(request.auth, ApiKey):
            raise exceptions.NotAuthenticated(_("Writing needs an API key (Authorization: Bearer <key> or X-Api-Key)."))
        if not request.auth.has_scope(Scope.SUBMIT):
            raise exceptions.PermissionDenied(detail=_("This API key may not submit (it needs the submit scope)."), code="api_key_scope")
        return True


class ApiKeyRateThrottle(BaseThrottle):
    """Per-key fixed one-minute window counted in the database, so every worker process shares it."""

    def allow_request(self, request, view) -> bool:
        if not isinstance(request.auth, ApiKey):
            return True
        result = api_key_rate_limit_hit(key=request.auth)
        self._wait = result.retry_after
        return result.allowed

    def wait(self) -> float | None:
        return getattr(self, "_wait", None)


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "clients.authentication.ApiKeyAuthentication"
    name = ["bearerAuth", "apiKeyHeader"]

    def get_security_definition(self, auto_schema):
        return [
            {"type": "http", "scheme": "bearer", "description": "An API key from `manage.py create_api_client`."},
            {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
        ]
