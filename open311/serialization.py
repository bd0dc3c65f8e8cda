"""Reports and categories as GeoReport v2 objects (field names exactly as the specification's)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reports.models import Category, Report

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"


def iso(value: datetime | None) -> str | None:
    """ISO 8601 with the zone, in Korean time: 2026-05-01T14:30:00+09:00."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _language() -> str:
    return translation.get_language() or "ko"


def service_dict(category: Category) -> dict:
    language = _language()
    return {
        "service_code": category.code,
        "service_name": category.display_name(language),
        "description": category.display_description(language),
        "metadata": any(True for _question in category.questions.all()),
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.group_en if language.startswith("en") and category.group_en else category.group,
    }


def service_definition_dict(category: Category) -> dict:
    language = _language()
    attributes = []
    for order, question in enumerate(category.questions.all(), start=1):
        attributes.append(
            {
                "variable": question.variable,
                "code": question.code,
                "datatype": question.datatype,
                "required": question.required,
                "datatype_description": question.datatype_description or None,
                "order": order,
                "description": question.display_description(language),
                "values": [
                    {
                        "key": str(value["key"]),
                        "name": str(value.get("name_en") if language.startswith("en") and value.get("name_en") else value.get("name", value["key"])),
                    }
                    for value in question.values
                ],
            }
        )
    return {"service_code": category.code, "attributes": attributes}


def service_notice(report: Report) -> str:
    return _("%(government)s is expected to answer by %(date)s.") % {
        "government": report.local_government.name,
        "date": timezone.localtime(report.due_at).date().isoformat(),
    }


def _photo_urls(report: Report, build_url) -> list[str]:
    return [build_url(photo.image.url) for photo in report.photos.all()]


def request_dict(report: Report, *, build_url, extensions: bool = False, show_reporter: bool = False) -> dict:
    """One service request. Never the reporter's email, phone or name, except, with show_reporter, in the
    extensions for staff of the responsible government (clients.models.ApiKey.sees_reporter_of)."""
    language = _language()
    photos = _photo_urls(report, build_url)
    public_events = [event for event in report.events.all() if event.is_public] if extensions else None
    status_notes = report.status_notes if hasattr(report, "status_notes") else None
    data = {
        "service_request_id": str(report.pk),
        "status": report.open311_status,
        "status_notes": status_notes or None,
        "service_name": report.category.display_name(language),
        "service_code": report.category.code,
        "description": report.description,
        "agency_responsible": report.local_government.name,
        "service_notice": service_notice(report),
        "requested_datetime": iso(report.created_at),
        "updated_datetime": iso(report.updated_at),
        "expected_datetime": iso(report.due_at),
        "address": report.address or None,
        "address_id": None,
        "zipcode": None,
        "lat": round(report.public_location.y, 6),
        "long": round(report.public_location.x, 6),
        "media_url": report.media_url or (photos[0] if photos else None),
    }
    if extensions:
        data["extended_attributes"] = {
            "local_government_code": report.local_government.code,
            "local_government_name": report.local_government.name,
            "channel": report.channel,
            "workflow_status": report.status,
            "outcome": report.outcome or None,
            "support_count": report.support_count,
            "photos": photos,
        }
        if show_reporter:
            data["extended_attributes"].update(
                reporter_email=report.reporter_email or None,
                reporter_phone=report.reporter_phone or None,
                reporter_name=report.reporter_name or None,
            )
        data["notes"] = [
            {
                "datetime": iso(event.created_at),
                "type": event.kind,
                "summary": str(event.get_kind_display()),
                "description": event.public_note or None,
            }
            for event in public_events
        ]
    return data
