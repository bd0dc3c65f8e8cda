"""The one error type of the domain, and the catalogue of its codes.

Services raise `DomainError(ErrorCode.X, message, fields)`; each channel renders it in its own
format (an HTML form error, the REST envelope, Open311's wire format). A code says what went
wrong; its `kind` says which HTTP family a channel should answer with.
"""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    INVALID = "invalid"  # 400: the request itself is wrong
    UNAUTHENTICATED = "unauthenticated"  # 401
    FORBIDDEN = "forbidden"  # 403
    NOT_FOUND = "not_found"  # 404
    CONFLICT = "conflict"  # 409: valid, but not in the current state
    UNPROCESSABLE = "unprocessable"  # 422
    RATE_LIMITED = "rate_limited"  # 429
    UNAVAILABLE = "unavailable"  # 503


HTTP_STATUS = {
    Kind.INVALID: 400,
    Kind.UNAUTHENTICATED: 401,
    Kind.FORBIDDEN: 403,
    Kind.NOT_FOUND: 404,
    Kind.CONFLICT: 409,
    Kind.UNPROCESSABLE: 422,
    Kind.RATE_LIMITED: 429,
    Kind.UNAVAILABLE: 503,
}


class ErrorCode(StrEnum):
    """Every code a client can see. Add a code here, with its kind below, before raising it."""

    # Input of any channel
    INVALID = "invalid"
    INVALID_PARAMETER = "invalid_parameter"
    MISSING_PARAMETER = "missing_parameter"
    UNKNOWN_PARAMETER = "unknown_parameter"
    INVALID_BODY = "invalid_body"
    INVALID_LOCATION = "invalid_location"
    INVALID_BBOX = "invalid_bbox"
    INVALID_BBOX_CRS = "invalid_bbox_crs"
    INVALID_RADIUS = "invalid_radius"
    INVALID_DATE = "invalid_date"
    INVALID_DATETIME = "invalid_datetime"
    DATE_RANGE_TOO_LONG = "date_range_too_long"
    INVALID_LIMIT = "invalid_limit"
    INVALID_CURSOR = "invalid_cursor"
    INVALID_SIMPLIFY = "invalid_simplify"
    INVALID_STATUS = "invalid_status"
    INVALID_EMAIL = "invalid_email"
    UNKNOWN_FORMAT = "unknown_format"
    # Geography
    OUTSIDE_SERVICE_AREA = "outside_service_area"
    OUTSIDE_JURISDICTION = "outside_jurisdiction"
    INVALID_AREA = "invalid_area"
    INVALID_LOCAL_GOVERNMENT = "invalid_local_government"
    UNKNOWN_JURISDICTION = "unknown_jurisdiction"
    # Reports
    UNKNOWN_CATEGORY = "unknown_category"
    CATEGORY_NOT_AVAILABLE_HERE = "category_not_available_here"
    INVALID_PHOTO = "invalid_photo"
    INVALID_COMMENT = "invalid_comment"
    CONSENT_REQUIRED = "consent_required"
    SUPPORTER_REQUIRED = "supporter_required"
    REPORT_CLOSED = "report_closed"
    NOT_FOUND = "not_found"
    UNKNOWN_REQUEST = "unknown_request"
    UNKNOWN_TOKEN = "unknown_token"
    # Staff workflow
    INVALID_ACTION = "invalid_action"
    INVALID_TRANSITION = "invalid_transition"
    INVALID_OUTCOME = "invalid_outcome"
    REASON_REQUIRED = "reason_required"
    NOTE_REQUIRED = "note_required"
    NOTE_TOO_LONG = "note_too_long"
    DUPLICATE_OF_REQUIRED = "duplicate_of_required"
    DUPLICATE_OF_NOT_FOUND = "duplicate_of_not_found"
    ASSIGNEE_REQUIRED = "assignee_required"
    INVALID_DEPARTMENT = "invalid_department"
    INVALID_OFFICER = "invalid_officer"
    INVALID_GOVERNMENT = "invalid_government"
    SAME_GOVERNMENT = "same_government"
    PERMISSION_DENIED = "permission_denied"
    # API keys and limits
    API_KEY_MISSING = "api_key_missing"
    API_KEY_INVALID = "api_key_invalid"
    API_KEY_REVOKED = "api_key_revoked"
    API_KEY_EXPIRED = "api_key_expired"
    API_KEY_SCOPE = "api_key_scope"
    IDEMPOTENCY_CONFLICT = "idempotency_conflict"
    RATE_LIMITED = "rate_limited"
    # Infrastructure
    SERVICE_UNAVAILABLE = "service_unavailable"
    # Scorecards
    INVALID_POPULATION_FILE = "invalid_population_file"
    UNMATCHED_POPULATION_ROWS = "unmatched_population_rows"

    @property
    def kind(self) -> Kind:
        return _KINDS.get(self, Kind.INVALID)

    @property
    def http_status(self) -> int:
        return HTTP_STATUS[self.kind]


_KINDS: dict[ErrorCode, Kind] = {
    ErrorCode.OUTSIDE_SERVICE_AREA: Kind.NOT_FOUND,
    ErrorCode.UNKNOWN_JURISDICTION: Kind.NOT_FOUND,
    ErrorCode.NOT_FOUND: Kind.NOT_FOUND,
    ErrorCode.UNKNOWN_REQUEST: Kind.NOT_FOUND,
    ErrorCode.UNKNOWN_TOKEN: Kind.NOT_FOUND,
    ErrorCode.UNKNOWN_FORMAT: Kind.NOT_FOUND,
    ErrorCode.REPORT_CLOSED: Kind.CONFLICT,
    ErrorCode.INVALID_TRANSITION: Kind.CONFLICT,
    ErrorCode.PERMISSION_DENIED: Kind.FORBIDDEN,
    ErrorCode.OUTSIDE_JURISDICTION: Kind.FORBIDDEN,
    ErrorCode.API_KEY_MISSING: Kind.UNAUTHENTICATED,
    ErrorCode.API_KEY_INVALID: Kind.UNAUTHENTICATED,
    ErrorCode.API_KEY_REVOKED: Kind.UNAUTHENTICATED,
    ErrorCode.API_KEY_EXPIRED: Kind.UNAUTHENTICATED,
    ErrorCode.API_KEY_SCOPE: Kind.FORBIDDEN,
    ErrorCode.IDEMPOTENCY_CONFLICT: Kind.UNPROCESSABLE,
    ErrorCode.RATE_LIMITED: Kind.RATE_LIMITED,
    ErrorCode.SERVICE_UNAVAILABLE: Kind.UNAVAILABLE,
}


class DomainError(Exception):
    """A client's mistake or a refused action: a catalogued code, a localized message, field errors."""

    def __init__(self, code: ErrorCode | str, message: str, fields: dict[str, list[str]] | None = None):
        code = ErrorCode(code)  # an uncatalogued code is a bug: fail loudly here, not in a channel
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.fields = fields or {}

    @property
    def http_status(self) -> int:
        return self.code.http_status
