"""One error shape for the REST API: {"error": {"code": "...", "message": "...", "fields": {...}}}."""

from __future__ import annotations

from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class ApiError(exceptions.APIException):
    """A client error with a machine-readable code, e.g. outside_service_area."""

    def __init__(self, code: str, message: str, http_status: int = status.HTTP_400_BAD_REQUEST, fields: dict | None = None):
        super().__init__(detail=message, code=code)
        self.status_code = http_status
        self.error_code = code
        self.fields = fields


def _flatten(detail) -> str:
    if isinstance(detail, dict):
        return "; ".join(f"{key}: {_flatten(value)}" for key, value in detail.items())
    if isinstance(detail, list):
        return " ".join(_flatten(item) for item in detail)
    return str(detail)


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ApiError):
        body = {"code": exc.error_code, "message": str(exc.detail)}
        if exc.fields:
            body["fields"] = exc.fields
    elif isinstance(exc, exceptions.ValidationError):
        body = {"code": "invalid", "message": _flatten(exc.detail)}
        if isinstance(exc.detail, dict):
            body["fields"] = exc.detail
    else:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        body = {"code": codes if isinstance(codes, str) else "error", "message": _flatten(response.data.get("detail", response.data))}
    return Response({"error": body}, status=response.status_code, headers=_passthrough_headers(response))


def _passthrough_headers(response) -> dict[str, str]:
    return {name: response[name] for name in ("Retry-After", "WWW-Authenticate", "Allow") if response.has_header(name)}
