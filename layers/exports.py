"""Streaming exports of public reports and local governments, built row by row in PostGIS."""

from __future__ import annotations

import csv
import io

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from campaigns.outputs import campaign_get_public, entry_answer_columns, entry_output_fields
from core.errors import DomainError, ErrorCode, json_error_response
from layers import campaign_entries, selectors
from reports.selectors import report_filters_parse


def error_response(code: str, message: str, status: int = 400, fields: dict | None = None) -> JsonResponse:
    return json_error_response(DomainError(code, message, fields), status=status)


def report_error_response(exc: DomainError) -> JsonResponse:
    return json_error_response(exc, status=400)


def _stream(chunks, content_type: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-cache"
    return response


def _features(rows: list[tuple], spliced: bool) -> list[bytes]:
    return selectors.feature_bytes(rows) if spliced else [row[1] for row in rows]


def _geojson_chunks(sql: str, params, spliced: bool = False):
    yield b'{"type":"FeatureCollection","features":['
    separator = b""
    for rows in selectors.stream_rows(sql, params, raw_text=True):
        yield separator + b",".join(_features(rows, spliced))
        separator = b","
    yield b"]}\n"


def _lines(sql: str, params, prefix: bytes):
    for rows in selectors.stream_rows(sql, params, raw_text=True):
        yield prefix + (b"\n" + prefix).join(selectors.feature_bytes(rows)) + b"\n"


def _csv_chunks(sql: str, params, header: list[str] = selectors.CSV_HEADER):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    yield ("\ufeff" + buffer.getvalue()).encode()
    for rows in selectors.stream_rows(sql, params):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(rows)
        yield buffer.getvalue().encode()


@require_GET
def reports_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """/exports/reports.{geojson,geojsonseq,ndjson,csv}: the REST list's filters, all matching rows."""
    try:
        filters = report_filters_parse(request.GET)
    except DomainError as exc:
        return report_error_response(exc)
    # Reach the database before the 200 goes out: unreachable, it is a 503 (core.middleware).
    connection.ensure_connection()
    if fmt == "csv":
        sql, params = selectors.report_csv_sql(filters=filters)
        return _stream(_csv_chunks(sql, params), "text/csv; charset=utf-8", "reports.csv")
    sql, params = selectors.report_export_sql(filters=filters)
    if fmt == "geojson":
        return _stream(_geojson_chunks(sql, params, spliced=True), "application/geo+json", "reports.geojson")
    if fmt == "geojsonseq":
        # RFC 8142: a record separator before each text, a line feed after.
        return _stream(_lines(sql, params, b"\x1e"), "application/geo+json-seq", "reports.geojsonseq")
    return _stream(_lines(sql, params, b""), "application/x-ndjson", "reports.ndjson")


def parse_simplify(value: str | None) -> float | None:
    if not value:
        return None
    try:
        tolerance = float(value)
    except ValueError:
        tolerance = -1.0
    if not 0 <= tolerance <= 1:
        raise DomainError("invalid_simplify", _("simplify must be a tolerance in degrees between 0 and 1, e.g. 0.001."))
    return tolerance or None


@require_GET
def local_governments_export(request: HttpRequest) -> HttpResponse:
    """The 243 local governments with their public report counts by status (same filters)."""
    try:
        filters = report_filters_parse(request.GET)
        simplify = parse_simplify(request.GET.get("simplify"))
    except DomainError as exc:
        return report_error_response(exc)
    sql, params = selectors.area_rows_sql(kind="local_governments", simplify=simplify, with_counts=filters)
    return _stream(_geojson_chunks(sql, params), "application/geo+json", "local_governments.geojson")


def public_campaign(slug: str):
    """The campaign whose entries a public output shows, or a 404 DomainError."""
    campaign = campaign_get_public(slug=slug)
    if campaign is None:
        raise DomainError(ErrorCode.NOT_FOUND, _("No campaign %(slug)s.") % {"slug": slug})
    return campaign


EXPORT_PARAMS = {"fields"}


@require_GET
def campaign_entries_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """/exports/campaigns/<slug>/entries.{geojson,csv,ndjson}: the campaign's public entries, public answers only."""
    try:
        campaign = public_campaign(slug)
        unknown = sorted(set(request.GET) - EXPORT_PARAMS)
        if unknown:
            raise DomainError(ErrorCode.UNKNOWN_PARAMETER, _("Unknown query parameter: %(names)s.") % {"names": ", ".join(unknown)})
        keys = entry_output_fields(campaign=campaign, requested=request.GET.get("fields"))
    except DomainError as exc:
        return json_error_response(exc)
    query = campaign_entries.EntryQuery(campaign_id=campaign.pk, keys=keys)
    name = f"{campaign.slug}-entries.{fmt}"
    if fmt == "csv":
        columns = entry_answer_columns(campaign=campaign, keys=keys)
        header, sql, params = campaign_entries.entry_csv(query, columns=columns)
        return _stream(_csv_chunks(sql, params, header), "text/csv; charset=utf-8", name)
    sql, params = campaign_entries.entry_export_sql(query)
    if fmt == "geojson":
        return _stream(_geojson_chunks(sql, params, spliced=True), "application/geo+json", name)
    return _stream(_lines(sql, params, b""), "application/x-ndjson", name)
