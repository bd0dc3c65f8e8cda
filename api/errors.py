"""REST rendering of errors: the envelope of core.errors.error_body for DomainError and DRF's own errors."""

from __future__ import annotations

from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError, error_body


def _flatten(detail) -> str:
    if isinstance(detail, dict):
        return "; ".join(f"{key}: {_flatten(value)}" for key, value in detail.items())
    if isinstance(detail, list):
        return " ".join(_flatten(item) for item in detail)
    return str(detail)


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response(error_body(exc), status=exc.http_status)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        body = {"code": "invalid", "message": _flatten(exc.detail)}
        if isinstance(exc.detail, dict):
            body["fields"] = exc.detail
    else:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        body = {"code": codes if isinstance(codes, str) else "error", "message": _flatten(response.data.get("detail", response.data))}
    return Response({"error": body}, status=response.status_code, headers=_passthrough_headers(response))


def _passthrough_headers(response) -> dict[str, str]:
    return {name: response[name] for name in ("Retry-After", "WWW-Authenticate", "Allow") if response.has_header(name)}
