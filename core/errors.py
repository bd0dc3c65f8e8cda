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
    INVALID_FORMAT = "invalid_format"
    INVALID_ZOOM = "invalid_zoom"
    MISSING_PHOTO = "missing_photo"
    UNSUPPORTED_CONTENT_TYPE = "unsupported_content_type"
    SERVICE_CODE_REQUIRED = "service_code_required"
    INVALID_MEDIA_URL = "invalid_media_url"
    # Geography
    INVALID_BOUNDARY_FILE = "invalid_boundary_file"
    LOCATION_REQUIRED = "location_required"
    UNKNOWN_ADDRESS = "unknown_address"
    AMBIGUOUS_ADDRESS = "ambiguous_address"
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
    INVALID_IDEMPOTENCY_KEY = "invalid_idempotency_key"
    IDEMPOTENCY_IN_PROGRESS = "idempotency_in_progress"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    UNKNOWN_SERVICE = "unknown_service"
    RATE_LIMITED = "rate_limited"
    # Infrastructure
    SERVICE_UNAVAILABLE = "service_unavailable"
    # Staff team (invitations, roles, reply templates)
    INVALID_ROLE = "invalid_role"
    INVITATION_INVALID = "invitation_invalid"
    INVITATION_EMAIL_MISMATCH = "invitation_email_mismatch"
    LAST_ADMINISTRATOR = "last_administrator"
    INVALID_REPLY_TEMPLATE = "invalid_reply_template"
    # Scorecards
    INVALID_POPULATION_FILE = "invalid_population_file"
    UNMATCHED_POPULATION_ROWS = "unmatched_population_rows"
    # Campaigns
    UNKNOWN_CAMPAIGN = "unknown_campaign"
    CAMPAIGN_SLUG_TAKEN = "campaign_slug_taken"
    INVALID_CAMPAIGN = "invalid_campaign"
    INVALID_CAMPAIGN_AREA = "invalid_campaign_area"
    CAMPAIGN_AREA_TOO_LARGE = "campaign_area_too_large"
    CAMPAIGN_NOT_OPEN = "campaign_not_open"
    OUTSIDE_CAMPAIGN_AREA = "outside_campaign_area"
    NOT_A_PARTICIPANT = "not_a_participant"
    OWN_ENTRY = "own_entry"
    UNKNOWN_ENTRY_TYPE = "unknown_entry_type"
    ENTRY_ALREADY_REPORTED = "entry_already_reported"
    PRIVATE_FIELD = "private_field"
    # Campaign layers (REST API, exports, OGC API, tiles)
    UNKNOWN_FIELD = "unknown_field"
    # Polls, residency and service ratings (issue 16)
    IDENTITY_REFUSED = "identity_refused"
    IDENTITY_UNAVAILABLE = "identity_unavailable"
    IDENTITY_ALREADY_USED = "identity_already_used"
    INVALID_INVITATION_CODE = "invalid_invitation_code"
    INVITATION_CODE_USED = "invitation_code_used"
    INVALID_ROLL = "invalid_roll"
    EMAIL_NOT_CONFIRMED = "email_not_confirmed"
    NOT_ELIGIBLE = "not_eligible"
    INVALID_POLL = "invalid_poll"
    POLL_NOT_OPEN = "poll_not_open"
    POLL_CLOSED = "poll_closed"
    ALREADY_VOTED = "already_voted"
    NOT_VOTED = "not_voted"
    INVALID_CHOICE = "invalid_choice"
    RESULTS_HIDDEN = "results_hidden"
    LOG_NOT_PUBLISHED = "log_not_published"
    INVALID_RATING = "invalid_rating"
    RATING_LINK_INVALID = "rating_link_invalid"
    RATING_ALREADY_GIVEN = "rating_already_given"
    RATING_NOT_REPORTER = "rating_not_reporter"
    # Moderation and proposals (issue 17, part A)
    INVALID_FLAG_REASON = "invalid_flag_reason"
    ALREADY_FLAGGED = "already_flagged"
    ALREADY_HIDDEN = "already_hidden"
    NOT_HIDDEN = "not_hidden"
    ACCOUNT_BLOCKED = "account_blocked"
    NOT_BLOCKED = "not_blocked"
    INVALID_PROPOSAL = "invalid_proposal"
    PROPOSAL_CLOSED = "proposal_closed"
    ALREADY_SUPPORTED = "already_supported"
    COMMENT_TOO_DEEP = "comment_too_deep"
    INVALID_STANCE = "invalid_stance"
    INVALID_ANSWER = "invalid_answer"
    INVALID_THRESHOLDS = "invalid_thresholds"
    # Opinion map: topics, statements, votes (issue 17, part B)
    INVALID_TOPIC = "invalid_topic"
    TOPIC_CLOSED = "topic_closed"
    INVALID_STATEMENT = "invalid_statement"
    STATEMENT_NOT_VOTABLE = "statement_not_votable"
    INVALID_VOTE = "invalid_vote"
    INVALID_DECISION = "invalid_decision"
    # Standard models
    UNKNOWN_MODEL = "unknown_model"
    INVALID_MODEL_DOCUMENT = "invalid_model_document"
    UNKNOWN_FORMAT_VERSION = "unknown_format_version"
    UNKNOWN_DATATYPE = "unknown_datatype"
    CATEGORY_CODE_CONFLICT = "category_code_conflict"
    MODEL_SLUG_TAKEN = "model_slug_taken"
    MODEL_NOT_PUBLISHED = "model_not_published"
    MODEL_VERSION_EXISTS = "model_version_exists"
    LOCKED_FIELD = "locked_field"
    ALREADY_ADOPTED = "already_adopted"
    # Residents' grants: an app acting for a person (accounts.grants)
    RESIDENT_GRANT_REQUIRED = "resident_grant_required"
    RESIDENT_GRANT_INVALID = "resident_grant_invalid"
    RESIDENT_GRANT_PURPOSE = "resident_grant_purpose"

    @property
    def kind(self) -> Kind:
        return _KINDS.get(self, Kind.INVALID)

    @property
    def http_status(self) -> int:
        return HTTP_STATUS[self.kind]


_KINDS: dict[ErrorCode, Kind] = {
    ErrorCode.UNKNOWN_JURISDICTION: Kind.NOT_FOUND,
    ErrorCode.NOT_FOUND: Kind.NOT_FOUND,
    ErrorCode.UNKNOWN_REQUEST: Kind.NOT_FOUND,
    ErrorCode.UNKNOWN_TOKEN: Kind.NOT_FOUND,
    ErrorCode.UNKNOWN_FORMAT: Kind.NOT_FOUND,
    ErrorCode.UNKNOWN_SERVICE: Kind.NOT_FOUND,
    ErrorCode.PERMISSION_DENIED: Kind.FORBIDDEN,
    ErrorCode.API_KEY_MISSING: Kind.UNAUTHENTICATED,
    ErrorCode.API_KEY_INVALID: Kind.UNAUTHENTICATED,
    ErrorCode.API_KEY_REVOKED: Kind.UNAUTHENTICATED,
    ErrorCode.API_KEY_EXPIRED: Kind.UNAUTHENTICATED,
    ErrorCode.API_KEY_SCOPE: Kind.FORBIDDEN,
    ErrorCode.IDEMPOTENCY_IN_PROGRESS: Kind.CONFLICT,
    ErrorCode.IDEMPOTENCY_KEY_REUSED: Kind.UNPROCESSABLE,
    ErrorCode.RATE_LIMITED: Kind.RATE_LIMITED,
    ErrorCode.SERVICE_UNAVAILABLE: Kind.UNAVAILABLE,
    # Staff team
    ErrorCode.INVITATION_INVALID: Kind.NOT_FOUND,
    ErrorCode.INVITATION_EMAIL_MISMATCH: Kind.FORBIDDEN,
    ErrorCode.LAST_ADMINISTRATOR: Kind.CONFLICT,
    # Campaigns
    ErrorCode.UNKNOWN_CAMPAIGN: Kind.NOT_FOUND,
    ErrorCode.CAMPAIGN_SLUG_TAKEN: Kind.CONFLICT,
    ErrorCode.CAMPAIGN_NOT_OPEN: Kind.CONFLICT,
    ErrorCode.NOT_A_PARTICIPANT: Kind.FORBIDDEN,
    ErrorCode.OWN_ENTRY: Kind.FORBIDDEN,
    ErrorCode.ENTRY_ALREADY_REPORTED: Kind.CONFLICT,
    # Campaign layers (a private field asked of a public output, PRIVATE_FIELD, is a bad request: 400)
    # Polls, residency and service ratings (issue 16)
    ErrorCode.IDENTITY_UNAVAILABLE: Kind.UNAVAILABLE,
    ErrorCode.IDENTITY_ALREADY_USED: Kind.CONFLICT,
    ErrorCode.INVALID_INVITATION_CODE: Kind.NOT_FOUND,
    ErrorCode.INVITATION_CODE_USED: Kind.CONFLICT,
    ErrorCode.EMAIL_NOT_CONFIRMED: Kind.FORBIDDEN,
    ErrorCode.NOT_ELIGIBLE: Kind.FORBIDDEN,
    ErrorCode.POLL_NOT_OPEN: Kind.CONFLICT,
    ErrorCode.POLL_CLOSED: Kind.CONFLICT,
    ErrorCode.ALREADY_VOTED: Kind.CONFLICT,
    ErrorCode.NOT_VOTED: Kind.CONFLICT,
    ErrorCode.RESULTS_HIDDEN: Kind.FORBIDDEN,
    ErrorCode.LOG_NOT_PUBLISHED: Kind.CONFLICT,
    ErrorCode.RATING_LINK_INVALID: Kind.NOT_FOUND,
    ErrorCode.RATING_ALREADY_GIVEN: Kind.CONFLICT,
    ErrorCode.RATING_NOT_REPORTER: Kind.FORBIDDEN,
    # Moderation and proposals (issue 17, part A)
    ErrorCode.ALREADY_FLAGGED: Kind.CONFLICT,
    ErrorCode.ALREADY_HIDDEN: Kind.CONFLICT,
    ErrorCode.NOT_HIDDEN: Kind.CONFLICT,
    ErrorCode.ACCOUNT_BLOCKED: Kind.FORBIDDEN,
    ErrorCode.NOT_BLOCKED: Kind.CONFLICT,
    ErrorCode.PROPOSAL_CLOSED: Kind.CONFLICT,
    ErrorCode.ALREADY_SUPPORTED: Kind.CONFLICT,
    # Opinion map (issue 17, part B)
    ErrorCode.TOPIC_CLOSED: Kind.CONFLICT,
    ErrorCode.STATEMENT_NOT_VOTABLE: Kind.CONFLICT,
    # Standard models
    ErrorCode.UNKNOWN_MODEL: Kind.NOT_FOUND,
    ErrorCode.CATEGORY_CODE_CONFLICT: Kind.CONFLICT,
    ErrorCode.MODEL_SLUG_TAKEN: Kind.CONFLICT,
    ErrorCode.MODEL_NOT_PUBLISHED: Kind.CONFLICT,
    ErrorCode.MODEL_VERSION_EXISTS: Kind.CONFLICT,
    ErrorCode.LOCKED_FIELD: Kind.CONFLICT,
    ErrorCode.ALREADY_ADOPTED: Kind.CONFLICT,
    # Residents' grants
    ErrorCode.RESIDENT_GRANT_REQUIRED: Kind.UNAUTHENTICATED,
    ErrorCode.RESIDENT_GRANT_INVALID: Kind.UNAUTHENTICATED,
    ErrorCode.RESIDENT_GRANT_PURPOSE: Kind.FORBIDDEN,
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


def json_error_response(exc: DomainError, status: int | None = None):
    """The envelope as a Django JsonResponse, for the JSON channels outside DRF."""
    from django.http import JsonResponse

    return JsonResponse(error_body(exc), status=status or exc.http_status, json_dumps_params={"ensure_ascii": False})


def error_body(exc: DomainError) -> dict:
    """The one JSON error envelope of every JSON channel (REST, exports, OGC, tiles, map data)."""
    body: dict = {"code": str(exc.code), "message": exc.message}
    if exc.fields:
        body["fields"] = exc.fields
    return {"error": body}
