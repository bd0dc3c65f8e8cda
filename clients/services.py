"""Writes for API clients: keys (shown once, stored hashed), revocation, rate limits, idempotency."""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import OperationalError, connection
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import ApiClient, ApiKey, IdempotencyRecord, Scope
from core.db import instance_from_row
from core.errors import DomainError, ErrorCode
from geodata.models import Area

KEY_PREFIX = "dn_"
LOCK_NOT_AVAILABLE = "55P03"


def key_hash(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


def _clean_scopes(scopes) -> list[str]:
    scopes = list(dict.fromkeys(scope.strip() for scope in scopes if scope.strip()))
    unknown = [scope for scope in scopes if scope not in Scope.values]
    if unknown or not scopes:
        raise ValueError(_("Scopes must be some of: %(scopes)s.") % {"scopes": ", ".join(Scope.values)})
    return scopes


def api_client_create(
    *, name: str, contact: str = "", origins: list[str] | None = None, local_government: Area | None = None
) -> ApiClient:
    name = name.strip()
    if not name:
        raise ValueError(_("Give the client a name."))
    if ApiClient.objects.filter(name=name).exists():
        raise ValueError(_("A client named %(name)s already exists.") % {"name": name})
    if local_government is not None and not local_government.is_local_government:
        raise ValueError(_("%(name)s is not a local government.") % {"name": local_government.name})
    return ApiClient.objects.create(
        name=name, contact=contact.strip(), allowed_origins="\n".join(origins or []), local_government=local_government
    )


def api_key_create(
    *, client: ApiClient, scopes: list[str], expires_at: datetime | None = None, rate_limit_per_minute: int = 120
) -> tuple[ApiKey, str]:
    """A new key for a client. The plaintext is returned here once and never stored."""
    raw_key = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        client=client,
        prefix=raw_key[:12],
        hashed_key=key_hash(raw_key),
        scopes=_clean_scopes(scopes),
        expires_at=expires_at,
        rate_limit_per_minute=rate_limit_per_minute,
    )
    return key, raw_key


def api_key_revoke(*, key: ApiKey) -> ApiKey:
    """Revoked keys fail on their very next request (every request looks the key up)."""
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
    return key


_KEY_FIELDS = ApiKey._meta.concrete_fields
_CLIENT_FIELDS = ApiClient._meta.concrete_fields


def _api_key_by_hash(hashed_key: str) -> ApiKey | None:
    """The key with its client, in plain SQL: every API request starts here."""
    columns = [f"k.{f.column}" for f in _KEY_FIELDS] + [f"c.{f.column}" for f in _CLIENT_FIELDS]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM clients_apikey k JOIN clients_apiclient c ON c.id = k.client_id WHERE k.hashed_key = %s",
            [hashed_key],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    key = instance_from_row(ApiKey, _KEY_FIELDS, row[: len(_KEY_FIELDS)])
    key.client = instance_from_row(ApiClient, _CLIENT_FIELDS, row[len(_KEY_FIELDS):])
    return key


def api_key_authenticate(*, raw_key: str, scope: str | None = None) -> ApiKey:
    """The usable key for a plaintext, or a DomainError (api_key_*)."""
    raw_key = (raw_key or "").strip()
    if not raw_key:
        raise DomainError("api_key_missing", _("An API key is required."))
    key = _api_key_by_hash(key_hash(raw_key))
    if key is None:
        raise DomainError("api_key_invalid", _("This API key is not valid."))
    if key.revoked_at is not None or not key.client.is_active:
        raise DomainError("api_key_revoked", _("This API key has been revoked."))
    if key.expires_at is not None and key.expires_at <= timezone.now():
        raise DomainError("api_key_expired", _("This API key has expired."))
    if scope and not key.has_scope(scope):
        raise DomainError("api_key_scope", _("This API key may not do this (it needs the %(scope)s scope).") % {"scope": scope})
    return key


@dataclass(frozen=True)
class RateLimitResult:
    allowed: bool
    limit: int
    remaining: int
    retry_after: int


def api_key_rate_limit_hit(*, key: ApiKey) -> RateLimitResult:
    """Count one request in the key's current one-minute window (fixed window, in the database)."""
    now = timezone.now()
    window = now.replace(second=0, microsecond=0)
    with connection.cursor() as cursor:
        # One row-locked UPDATE: concurrent processes each get a distinct count.
        cursor.execute(
            """
            UPDATE clients_apikey
            SET window_count = CASE WHEN window_start = %(window)s THEN window_count + 1 ELSE 1 END,
                window_start = %(window)s,
                last_used_at = %(now)s
            WHERE id = %(id)s
            RETURNING window_count, rate_limit_per_minute
            """,
            {"window": window, "now": now, "id": key.pk},
        )
        count, limit = cursor.fetchone()
    retry_after = max(1, math.ceil(60 - (now - window).total_seconds()))
    return RateLimitResult(allowed=count <= limit, limit=limit, remaining=max(0, limit - count), retry_after=retry_after)


@dataclass
class IdempotencyClaim:
    """Either a record this request now owns (fill it in) or a stored response to replay."""

    record: IdempotencyRecord | None = None
    replay: IdempotencyRecord | None = None


_RECORD_FIELDS = IdempotencyRecord._meta.concrete_fields


def idempotency_claim(*, client: ApiClient, key: str, request_hash: str) -> IdempotencyClaim:
    """Claim an Idempotency-Key. Must run inside the transaction that does the work.

    INSERT ... ON CONFLICT waits while another transaction holds the same key uncommitted, so a
    concurrent retry blocks until the first request finishes and then replays its response
    (or, if the first one failed and rolled back, does the work itself).
    """
    if not connection.in_atomic_block:
        raise RuntimeError("idempotency_claim must run inside transaction.atomic()")
    key = key.strip()
    if not key or len(key) > 255:
        raise DomainError(ErrorCode.INVALID_IDEMPOTENCY_KEY, _("Idempotency-Key must be 1 to 255 characters."))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL lock_timeout = '20s'")
        # No savepoint: ON CONFLICT cannot fail on the key, and a lock timeout ends the request
        # (its transaction is rolled back by the caller's atomic block).
        try:
            cursor.execute(
                """
                INSERT INTO clients_idempotencyrecord (client_id, key, request_hash, response_content_type, response_body, created_at)
                VALUES (%s, %s, %s, '', '', %s)
                ON CONFLICT (client_id, key) DO NOTHING
                RETURNING {}
                """.format(", ".join(field.column for field in _RECORD_FIELDS)),
                [client.pk, key, request_hash, timezone.now()],
            )
            row = cursor.fetchone()
        except OperationalError as exc:
            if getattr(exc.__cause__, "sqlstate", None) == LOCK_NOT_AVAILABLE:  # the first request is still running
                raise DomainError(ErrorCode.IDEMPOTENCY_IN_PROGRESS, _("A request with this Idempotency-Key is still in progress.")) from exc
            raise
    if row is not None:  # the row as stored, from RETURNING: not read again (a round trip of every create)
        return IdempotencyClaim(record=instance_from_row(IdempotencyRecord, _RECORD_FIELDS, row))
    existing = IdempotencyRecord.objects.get(client=client, key=key)
    if existing.request_hash != request_hash:
        raise DomainError(
            ErrorCode.IDEMPOTENCY_KEY_REUSED, _("This Idempotency-Key was already used with a different request.")
        )
    if existing.response_status is None:
        raise DomainError(ErrorCode.IDEMPOTENCY_IN_PROGRESS, _("A request with this Idempotency-Key is still in progress."))
    return IdempotencyClaim(replay=existing)


def idempotency_store(*, record: IdempotencyRecord, status: int, content_type: str, body: str) -> None:
    record.response_status = status
    record.response_content_type = content_type
    record.response_body = body
    with connection.cursor() as cursor:  # every create ends here: plain SQL, no ORM compile
        cursor.execute(
            "UPDATE clients_idempotencyrecord SET response_status = %s, response_content_type = %s, response_body = %s WHERE id = %s",
            [status, content_type, body, record.pk],
        )
