"""Who acts when the API writes for a resident: the one rule of every such endpoint.

- An app (an API client) sends its API key (submit scope) and the grant the person gave that very
  app (`X-Dongne-Resident`, issued at /accounts/apps/ by accounts.grants). The grant must name the
  view's purpose (`resident_purpose`). A session cookie sent with a key is ignored: a key is an app.
- Without a key, the site's own pages act as the signed-in person: the session cookie, with the
  CSRF token since a cookie travels by itself.

Campaign entries, poll votes, proposals and topics all use `ResidentApiView` (or its two classes).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.views import APIView

from accounts.grants import resident_grant_read, resident_grant_require
from clients.authentication import ApiKeyAuthentication, ApiKeyRateThrottle
from clients.models import ApiKey, Scope
from core.errors import DomainError, ErrorCode, Kind

RESIDENT_HEADER = "X-Dongne-Resident"


def _drf_error(exc: DomainError) -> exceptions.APIException:
    # Raised while authenticating, so DRF marks the request unauthenticated and adds WWW-Authenticate.
    if exc.code.kind is Kind.UNAUTHENTICATED:
        return exceptions.AuthenticationFailed(detail=exc.message, code=str(exc.code))
    return exceptions.PermissionDenied(detail=exc.message, code=str(exc.code))


class ResidentAuthentication(ApiKeyAuthentication):
    """(resident, key) with a key and a grant; (anonymous, key) with a key alone; else the session."""

    def authenticate(self, request):
        result = super().authenticate(request)  # a bad key is a 401 here
        if result is None:
            return SessionAuthentication().authenticate(request)
        _anonymous, key = result
        token = request.headers.get(RESIDENT_HEADER)
        if not token:
            return result
        view = request.parser_context.get("view")
        try:
            grant = resident_grant_read(token=token, client_id=key.client_id)
            resident_grant_require(grant=grant, purpose=view.resident_purpose)
        except DomainError as exc:
            raise _drf_error(exc) from exc
        return grant.user, key


class ActsForResident(BasePermission):
    """Reads are open; a write is a person's: an app needs the submit scope and their grant."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if isinstance(request.auth, ApiKey):
            if not request.auth.has_scope(Scope.SUBMIT):
                raise exceptions.PermissionDenied(detail=_("This API key may not submit (it needs the submit scope)."), code=str(ErrorCode.API_KEY_SCOPE))
            if not request.user.is_authenticated:
                raise exceptions.NotAuthenticated(
                    detail=_("An app acts for a resident with the grant they gave it: send it in X-Dongne-Resident with the key."),
                    code=str(ErrorCode.RESIDENT_GRANT_REQUIRED),
                )
            return True
        if not request.user.is_authenticated:
            raise DomainError(ErrorCode.PERMISSION_DENIED, _("Sign in to take part."))
        return True


class ResidentApiView(APIView):
    """An endpoint that acts for a resident; subclasses name the grant's purpose it needs."""

    authentication_classes = [ResidentAuthentication]
    permission_classes = [ActsForResident]
    throttle_classes = [ApiKeyRateThrottle]
    resident_purpose: str


class ResidentAuthenticationScheme(OpenApiAuthenticationExtension):
    """The key's schemes are clients.authentication's (every keyed endpoint registers them)."""

    target_class = "api.authentication.ResidentAuthentication"
    name = ["residentGrant", "siteSession"]

    def get_security_requirement(self, auto_schema):
        # The key, in either header, with the resident's grant; or the site's own session.
        return [{"bearerAuth": [], "residentGrant": []}, {"apiKeyHeader": [], "residentGrant": []}, {"siteSession": []}]

    def get_security_definition(self, auto_schema):
        return [
            {
                "type": "apiKey", "in": "header", "name": RESIDENT_HEADER,
                "description": "The grant a resident gave this app at /accounts/apps/ (accounts.grants), sent with the app's API key.",
            },
            {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME, "description": "The site's own pages: the signed-in session, with X-CSRFToken."},
        ]
