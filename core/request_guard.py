"""Refuse malformed paths and query strings before any view sees them: NUL bytes and absurd lengths.

PostgreSQL refuses NUL in text and Python refuses to parse numbers of more than 4,300 digits;
either would otherwise surface as a 500 deep inside a view. A clear 400 here covers every
channel at once: JSON for the machine channels, a short page for people.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _

from core.errors import DomainError, ErrorCode, json_error_response

MAX_QUERY_VALUE_LENGTH = 2000
MACHINE_PREFIXES = ("/api/", "/open311/", "/ogc/", "/exports/", "/tiles/", "/map/", "/healthz")


def _problem(request) -> str | None:
    if "\x00" in request.path:
        return _("The address holds a NUL character.")
    for key, values in request.GET.lists():
        for value in [key, *values]:
            if "\x00" in value:
                return _("The query string holds a NUL character.")
            if len(value) > MAX_QUERY_VALUE_LENGTH:
                return _("A query parameter is longer than %(max)d characters.") % {"max": MAX_QUERY_VALUE_LENGTH}
    return None


class QueryStringGuard:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = _problem(request)
        if problem is None:
            return self.get_response(request)
        if request.path.startswith("/open311/"):
            # Open311's own error shape, in JSON whatever the suffix: the request was unreadable.
            from django.http import JsonResponse

            return JsonResponse([{"code": 400, "description": problem, "error_code": ErrorCode.INVALID_PARAMETER}], status=400, safe=False)
        if request.path.startswith(MACHINE_PREFIXES):
            return json_error_response(DomainError(ErrorCode.INVALID_PARAMETER, problem))
        return HttpResponse(problem, status=400, content_type="text/plain; charset=utf-8")
