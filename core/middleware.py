"""An unreachable database is the server's trouble, not the client's: 503 with Retry-After, never 500."""

from __future__ import annotations

import json
import logging
from xml.sax.saxutils import escape

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

DB_ERRORS = (OperationalError, InterfaceError)
API_PREFIXES = ("/api/", "/ogc/", "/exports/", "/tiles/", "/healthz")


def drop_broken_connections() -> None:
    """A connection killed by a restart must not serve the next request: close it, Django reopens."""
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except DB_ERRORS:
            conn.connection = None


def database_unavailable_response(request) -> HttpResponse:
    message = _("The service is briefly unavailable. Please try again in a moment.")
    path = request.path
    if path.startswith("/open311/"):
        # Open311 keeps its own error format, in the format the URL asked for.
        if path.endswith(".xml"):
            body = f'<?xml version="1.0" encoding="utf-8"?><errors><error><code>503</code><description>{escape(message)}</description><error_code>service_unavailable</error_code></error></errors>'
            response = HttpResponse(body, status=503, content_type="text/xml; charset=utf-8")
        else:
            body = json.dumps([{"code": 503, "description": message, "error_code": "service_unavailable"}], ensure_ascii=False)
            response = HttpResponse(body, status=503, content_type="application/json")
    elif path.startswith(API_PREFIXES):
        body = json.dumps({"error": {"code": "service_unavailable", "message": message}}, ensure_ascii=False)
        response = HttpResponse(body, status=503, content_type="application/json")
    else:
        # No template: rendering one could reach the database (context processors, the user).
        title = _("Temporarily unavailable")
        lang = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
        body = (
            f'<!doctype html><html lang="{escape(lang)}"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
            f"<body><main><h1>{escape(title)}</h1><p>{escape(message)}</p></main></body></html>"
        )
        response = HttpResponse(body, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(settings.DB_UNAVAILABLE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DB_ERRORS):
            return None
        logger.error("Database unavailable during %s %s: %s", request.method, request.path, exception)
        drop_broken_connections()
        return database_unavailable_response(request)


def server_error(request, *args, **kwargs):
    """handler500: a database failure outside any view (a middleware, a template) still answers 503."""
    import sys

    from django.views.defaults import server_error as default_server_error

    exc = sys.exc_info()[1]
    if isinstance(exc, DB_ERRORS):
        drop_broken_connections()
        return database_unavailable_response(request)
    return default_server_error(request, *args, **kwargs)
