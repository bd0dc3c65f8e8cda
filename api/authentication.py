"""An API key acting for the volunteer signed in on the same request (field apps of campaigns).

The key says which app is calling (scopes, rate limit); the volunteer is whoever is signed in to
Dongne in that app: its web view signed in through the ordinary sign-in page (with its limits and
lockouts), and the app sends that session cookie with the key. The session is ambient, so the
request must also carry the CSRF token (`X-CSRFToken`), as every session-authenticated write does.
No password ever reaches the API.
"""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import SessionAuthentication

from clients.authentication import ApiKeyAuthentication


class ApiKeyForVolunteerAuthentication(ApiKeyAuthentication):
    """(signed-in user, key) when both are there; (anonymous, key) with a key alone; None without a key."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        _anonymous, key = result
        user = getattr(request._request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return result
        SessionAuthentication().enforce_csrf(request)
        return user, key


class ApiKeyForVolunteerAuthenticationScheme(OpenApiAuthenticationExtension):
    """The key's schemes are clients.authentication's (every other endpoint uses them); this adds the session."""

    target_class = "api.authentication.ApiKeyForVolunteerAuthentication"
    name = "volunteerSession"

    def get_security_requirement(self, auto_schema):
        # The key, in either header, together with the volunteer's session.
        return [{"bearerAuth": [], "volunteerSession": []}, {"apiKeyHeader": [], "volunteerSession": []}]

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME,
            "description": "The volunteer's Dongne session (signed in through /accounts/login/), sent with X-CSRFToken.",
        }
