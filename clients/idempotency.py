"""Idempotency-Key handling shared by the report-creating POSTs of Open311 and the REST API."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest, HttpResponse

from clients.models import ApiClient
from clients.services import idempotency_claim, idempotency_store
from core.db import retry_on_conflict

HEADER = "Idempotency-Key"


def request_fingerprint(request: HttpRequest, payload) -> str:
    """What makes two requests "the same": path, the parsed fields and the uploaded files' bytes."""
    files = []
    for name, uploads in sorted(request.FILES.lists()):
        for upload in uploads:
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
            files.append([name, digest.hexdigest()])
    canonical = json.dumps([request.path, payload, files], sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@retry_on_conflict
def run_idempotent(
    *, request: HttpRequest, client: ApiClient | None, payload, handler: Callable[[], HttpResponse]
) -> HttpResponse:
    """Run `handler` once per (client, Idempotency-Key); retries get the first response back.

    Raises DomainError (invalid_idempotency_key, idempotency_in_progress, idempotency_key_reused) for each channel to render.
    Only successful responses are kept: a failed request leaves the key free for a corrected retry.
    """
    key = request.headers.get(HEADER)
    if key is None or client is None:
        return handler()
    with transaction.atomic():
        claim = idempotency_claim(client=client, key=key, request_hash=request_fingerprint(request, payload))
        if claim.replay is not None:
            replayed = HttpResponse(
                claim.replay.response_body, status=claim.replay.response_status, content_type=claim.replay.response_content_type
            )
            replayed["Idempotent-Replayed"] = "true"
            return replayed
        response = handler()
        if response.status_code >= 400:
            transaction.set_rollback(True)
        else:
            idempotency_store(
                record=claim.record,
                status=response.status_code,
                content_type=response["Content-Type"],
                body=response.content.decode("utf-8"),
            )
    return response
