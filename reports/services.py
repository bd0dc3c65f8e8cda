"""Writes for reports. Every channel (web form, REST API, Open311, staff screens) calls these."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.contrib.gis.geos import Point
from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from accounts.ratelimit import account_rate_limited
from accounts.selectors import account_email_confirmed
from core.db import retry_on_conflict
from core.errors import DomainError, ErrorCode
from core.events import send_event
from geodata.models import Area
from geodata.selectors import route_point
from reports import signals
from reports.answers import clean_answers
from reports.models import OPEN_STATUSES, Category, Channel, Outcome, Report, ReportEvent, ReportPhoto, Status, Support
from reports.photos import PhotoError, photo_clean

MAX_DESCRIPTION = 4000
# Marks a timeline entry made by the reporter; pages show the word in the reader's language.
REPORTER_EVENT = {"by": "reporter"}

# Which status may follow which; closing needs an outcome, reopening goes through report_reopen.
TRANSITIONS: dict[str, set[str]] = {
    Status.SUBMITTED: {Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.CLOSED},
    Status.ACKNOWLEDGED: {Status.IN_PROGRESS, Status.CLOSED},
    Status.IN_PROGRESS: {Status.ACKNOWLEDGED, Status.CLOSED},
    Status.CLOSED: set(),
}


def _after_commit(signal, **kwargs) -> None:
    # Sent inside the transaction: receivers queue their messages with the change (core.events).
    send_event(signal, Report, **kwargs)


def coarse_point(point: Point) -> Point:
    """Snap to the centre of a ~100 m grid cell: deterministic, so repeated views reveal nothing more."""
    cell = settings.COARSE_GRID_DEGREES
    return Point(
        round((math.floor(point.x / cell) + 0.5) * cell, 6),
        round((math.floor(point.y / cell) + 0.5) * cell, 6),
        srid=4326,
    )


def validate_coordinates(lon, lat) -> tuple[float, float]:
    try:
        lon_f, lat_f = float(lon), float(lat)
    except (TypeError, ValueError) as exc:
        raise DomainError("invalid_location", _("The location must be a longitude and latitude in decimal degrees.")) from exc
    if not (math.isfinite(lon_f) and math.isfinite(lat_f)) or not (-180 <= lon_f <= 180 and -90 <= lat_f <= 90):
        raise DomainError("invalid_location", _("The location must be a longitude between -180 and 180 and a latitude between -90 and 90."))
    return lon_f, lat_f


def clean_text(text: str | None) -> str:
    """Plain text only: tags are removed rather than escaped-and-kept."""
    return strip_tags(text or "").replace("\x00", "").strip()


@retry_on_conflict
def report_create(
    *,
    category: Category,
    lon: float,
    lat: float,
    description: str,
    answers: dict | None = None,
    photos: Sequence = (),
    reporter=None,
    reporter_email: str = "",
    reporter_name: str = "",
    reporter_phone: str = "",
    show_name: bool = False,
    channel: str = Channel.WEB,
    api_client=None,
    media_url: str = "",
    device_id: str = "",
    account_id: str = "",
    is_sample: bool = False,
    created_at=None,
    jurisdiction: Area | None = None,
) -> Report:
    """File a report: validate, route by its point, store with its photos and first timeline entry.

    `jurisdiction`, when given (Open311's jurisdiction_id), is the government the client expects:
    a point routed elsewhere is refused before anything is stored. Raises DomainError (nothing
    saved) for any client mistake.
    """
    errors: dict[str, list[str]] = {}
    lon, lat = validate_coordinates(lon, lat)
    if not category.is_active:
        raise DomainError("unknown_category", _("This category is not accepting reports."))
    description = clean_text(description)
    if not description:
        errors["description"] = [_("Describe the problem.")]
    elif len(description) > MAX_DESCRIPTION:
        errors["description"] = [_("At most %(max)d characters.") % {"max": MAX_DESCRIPTION}]
    cleaned_answers, answer_errors = clean_answers(category, answers)
    errors.update({f"answers.{code}": messages for code, messages in answer_errors.items()})
    if len(photos) > settings.MAX_PHOTOS_PER_REPORT:
        errors["photos"] = [_("At most %(max)d photos.") % {"max": settings.MAX_PHOTOS_PER_REPORT}]
    if reporter is None and api_client is None and not reporter_email and not is_sample:
        errors["email"] = [_("Give your email address so we can confirm the report and tell you what happens.")]
    clean_photos = []
    if "photos" not in errors:
        for index, upload in enumerate(photos):
            if hasattr(upload, "seek"):  # a retried call (core.db.retry_on_conflict) reads it again
                upload.seek(0)
            try:
                clean_photos.append(photo_clean(upload))
            except PhotoError as exc:
                errors.setdefault("photos", []).append(_("Photo %(n)d: %(error)s") % {"n": index + 1, "error": exc})
    if errors:
        raise DomainError("invalid", _("Please correct the highlighted fields."), fields=errors)

    route = route_point(lon=lon, lat=lat)
    if route is None:
        raise DomainError("outside_service_area", _("This location is outside the service area: pick a point in Korea."))
    government = _responsible_government(category, route)
    government_id = government.pk
    if jurisdiction is not None and government_id != jurisdiction.pk:
        raise DomainError(
            ErrorCode.OUTSIDE_JURISDICTION,
            _("This location is not in jurisdiction %(code)s.") % {"code": jurisdiction.code},
        )

    now = created_at or timezone.now()
    point = Point(lon, lat, srid=4326)
    # An account whose address is not confirmed yet waits like an email-only report.
    confirmed = api_client is not None or is_sample or account_email_confirmed(user=reporter)
    with transaction.atomic():
        if reporter is not None and not is_sample and account_rate_limited(scope="report", user=reporter):
            raise DomainError(ErrorCode.RATE_LIMITED, _("This account has filed too many reports in the last hour. Try again later."))
        report = Report.objects.create(
            category=category,
            location=point,
            public_location=coarse_point(point) if _category_is_sensitive(category) else point,
            description=description,
            answers=cleaned_answers,
            local_government=government,
            municipal_unit_id=route.municipal_unit.id,
            submunicipal_unit_id=route.submunicipal_unit.id if route.submunicipal_unit else None,
            address=route.address,
            reporter=reporter,
            reporter_email=reporter_email or (reporter.email if reporter else ""),
            reporter_name=clean_text(reporter_name)[:100] or (reporter.get_full_name() if reporter else ""),
            reporter_phone=reporter_phone[:40],
            show_name=show_name,
            channel=channel,
            api_client=api_client,
            media_url=media_url,
            device_id=device_id[:100],
            account_id=account_id[:100],
            is_sample=is_sample,
            confirmed_at=now if confirmed else None,
            created_at=now,
            updated_at=now,
            due_at=now + timedelta(days=category.sla_days),
        )
        for order, photo in enumerate(clean_photos):
            ReportPhoto.objects.create(report=report, image=photo.content, order=order)
        ReportEvent.objects.create(
            report=report, kind=ReportEvent.Kind.CREATED, to_status=Status.SUBMITTED, created_at=now,
            actor=reporter, data=REPORTER_EVENT,
        )
        if confirmed:
            _after_commit(signals.report_created, report=report)
        elif reporter is None:
            _after_commit(signals.report_needs_confirmation, report=report)
        # else: the account's own confirmation link publishes it (privacy.services.account_confirm_email).
    return report


def _category_is_sensitive(category: Category) -> bool:
    """Read fresh under a key-share lock: a sensitivity change (category_save locks the row for
    update) in progress is waited for, and none can commit before this report, so no report keeps
    an exact public point in a category just marked sensitive."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT is_sensitive FROM reports_category WHERE id = %s FOR KEY SHARE", [category.pk])
        return cursor.fetchone()[0]


def _responsible_government(category: Category, route) -> Area:
    """A national category goes to the routed government; a government's own category to that government."""
    if category.local_government_id is None:
        return route.local_government.as_area()
    own = category.local_government
    if own.code not in {route.local_government.code, route.province.code}:
        raise DomainError(
            "category_not_available_here",
            _("The category %(category)s belongs to %(government)s and cannot be used at this location.")
            % {"category": category.name, "government": own.name},
        )
    return own


@retry_on_conflict
@transaction.atomic
def report_confirm(*, token) -> Report:
    """Confirm an email report through its link; confirming twice is harmless."""
    report = Report.objects.select_for_update().get(confirmation_token=token)
    if report.confirmed_at is None:
        report.confirmed_at = timezone.now()
        report.save(update_fields=["confirmed_at"])
        _after_commit(signals.report_created, report=report)
    return report


@retry_on_conflict
def report_change_status(
    *,
    report: Report,
    to_status: str,
    actor=None,
    actor_label: str = "",
    reason: str = "",
    public_note: str = "",
    outcome: str = "",
    duplicate_of: Report | None = None,
) -> ReportEvent:
    """Move a report through the workflow; closing needs an outcome (and a reason when not accepted)."""
    if to_status not in Status.values:
        raise DomainError("invalid_status", _("Unknown status %(status)s.") % {"status": to_status})
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if to_status not in TRANSITIONS[report.status]:
            raise DomainError(
                "invalid_transition",
                _("A report that is %(from)s cannot become %(to)s.")
                % {"from": Status(report.status).label, "to": Status(to_status).label},
            )
        if to_status == Status.CLOSED:
            _check_outcome(report, outcome, reason, duplicate_of)
        elif outcome:
            raise DomainError("invalid_outcome", _("Only a closed report has an outcome."))
        now = timezone.now()
        event = ReportEvent.objects.create(
            report=report, kind=ReportEvent.Kind.STATUS, from_status=report.status, to_status=to_status,
            outcome=outcome if to_status == Status.CLOSED else "", reason=clean_text(reason),
            public_note=clean_text(public_note), actor=actor, actor_label=actor_label, created_at=now,
            data={"duplicate_of": duplicate_of.pk} if duplicate_of else {},
        )
        report.status = to_status
        report.updated_at = now
        report.outcome = outcome if to_status == Status.CLOSED else ""
        report.duplicate_of = duplicate_of if outcome == Outcome.DUPLICATE else None
        if to_status == Status.ACKNOWLEDGED and report.acknowledged_at is None:
            report.acknowledged_at = now
        report.closed_at = now if to_status == Status.CLOSED else None
        report.save(update_fields=["status", "updated_at", "outcome", "duplicate_of", "acknowledged_at", "closed_at"])
        _after_commit(signals.report_status_changed, report=report, event=event)
    return event


def _check_outcome(report: Report, outcome: str, reason: str, duplicate_of: Report | None) -> None:
    if outcome not in Outcome.values:
        raise DomainError("invalid_outcome", _("Closing a report needs an outcome."), fields={"outcome": [_("Choose an outcome.")]})
    if outcome == Outcome.NOT_ACCEPTED and not clean_text(reason):
        raise DomainError("reason_required", _("Say why the report is not accepted."), fields={"reason": [_("Give a reason.")]})
    if outcome == Outcome.DUPLICATE:
        if duplicate_of is None or duplicate_of.pk == report.pk:
            raise DomainError("duplicate_of_required", _("Name the report this one duplicates."), fields={"duplicate_of": [_("Give another report.")]})


@retry_on_conflict
def report_reopen(*, report: Report, actor=None, actor_label: str = "", reason: str, by_reporter: bool = False) -> ReportEvent:
    """Reopen a closed report (by its reporter or by staff), with a reason; it becomes due again."""
    if not clean_text(reason):
        raise DomainError("reason_required", _("Say why the report should be reopened."), fields={"reason": [_("Give a reason.")]})
    with transaction.atomic():
        report = Report.objects.select_for_update().select_related("category").get(pk=report.pk)
        if report.status != Status.CLOSED:
            raise DomainError("invalid_transition", _("Only a closed report can be reopened."))
        now = timezone.now()
        event = ReportEvent.objects.create(
            report=report, kind=ReportEvent.Kind.REOPENED, from_status=Status.CLOSED, to_status=Status.SUBMITTED,
            reason=clean_text(reason), public_note=clean_text(reason), actor=actor,
            actor_label=actor_label, created_at=now, data=REPORTER_EVENT if by_reporter else {},
        )
        report.status = Status.SUBMITTED
        report.outcome = ""
        report.duplicate_of = None
        report.closed_at = None
        report.updated_at = now
        report.due_at = now + timedelta(days=report.category.sla_days)
        report.save(update_fields=["status", "outcome", "duplicate_of", "closed_at", "updated_at", "due_at"])
        _after_commit(signals.report_status_changed, report=report, event=event)
    return event


@retry_on_conflict
def report_reroute(*, report: Report, to_government: Area, actor=None, actor_label: str = "", reason: str) -> ReportEvent:
    """Send a report to another local government; both sides keep the record."""
    if not to_government.is_local_government:
        raise DomainError("invalid_government", _("Choose a local government."))
    if not clean_text(reason):
        raise DomainError("reason_required", _("Say why the report is re-routed."), fields={"reason": [_("Give a reason.")]})
    with transaction.atomic():
        report = Report.objects.select_for_update().select_related("local_government").get(pk=report.pk)
        if report.local_government_id == to_government.pk:
            raise DomainError("same_government", _("The report is already with %(name)s.") % {"name": to_government.name})
        previous = report.local_government
        now = timezone.now()
        event = ReportEvent.objects.create(
            report=report, kind=ReportEvent.Kind.REROUTED, reason=clean_text(reason), actor=actor,
            actor_label=actor_label, created_at=now, public_note=_("Passed from %(from)s to %(to)s.") % {"from": previous.name, "to": to_government.name},
            data={"from": previous.code, "to": to_government.code},
        )
        report.local_government = to_government
        report.updated_at = now
        report.save(update_fields=["local_government", "updated_at"])
        _after_commit(signals.report_rerouted, report=report, event=event)
    return event


SUPPORT_CONFIRMATION_SALT = "reports.support-confirmation"


@retry_on_conflict
def report_support(*, report: Report, user=None, email: str = "", api_client=None) -> bool:
    """Add a "me too"; False when this person already supports it. The count stays exact under races.

    Only confirmed supports count: a confirmed account's, one vouched for by an API client, or an
    email-only one once its emailed link is opened (support_confirm_link).
    """
    if user is None and not email:
        raise DomainError("supporter_required", _("Sign in or give your email address to support a report."))
    # The stored status, not the caller's copy, which may be stale.
    if Report.objects.filter(pk=report.pk).values_list("status", flat=True).first() not in OPEN_STATUSES:
        raise DomainError("report_closed", _("This report is closed; reopen it instead."))
    confirmed = api_client is not None or account_email_confirmed(user=user)
    try:
        with transaction.atomic():
            if user is not None and account_rate_limited(scope="support", user=user):
                raise DomainError(ErrorCode.RATE_LIMITED, _("This account has supported too many reports in the last hour. Try again later."))
            support = Support.objects.create(
                report=report, user=user, email="" if user else email.strip().lower(),
                confirmed_at=timezone.now() if confirmed else None,
            )
            if confirmed:
                Report.objects.filter(pk=report.pk).update(support_count=F("support_count") + 1)
            elif user is None:
                send_event(signals.support_needs_confirmation, Support, support=support, token=support_confirmation_token(support=support))
    except IntegrityError:
        return False
    report.refresh_from_db(fields=["support_count"])
    return True


# What an administrator may correct by hand; everything else changes only through the workflow.
ADMIN_EDITABLE_FIELDS = ("description", "reporter_email", "reporter_name", "reporter_phone", "show_name", "is_hidden")


def report_edit(*, report: Report, actor, changes: dict, reason: str = "") -> ReportEvent | None:
    """Correct a report's editable fields, keeping the originals in a private timeline entry."""
    unknown = set(changes) - set(ADMIN_EDITABLE_FIELDS)
    if unknown:
        raise DomainError(ErrorCode.INVALID, _("These fields cannot be edited: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    with transaction.atomic():
        current = Report.objects.select_for_update().get(pk=report.pk)
        original = {name: getattr(current, name) for name in changes if getattr(current, name) != changes[name]}
        if not original:
            return None
        for name in original:
            setattr(current, name, changes[name])
        current.updated_at = timezone.now()
        current.save(update_fields=[*original, "updated_at"])
        return ReportEvent.objects.create(
            report=current, kind=ReportEvent.Kind.MODERATED, reason=clean_text(reason), actor=actor,
            actor_label=_("Administrator"), is_public=False, data={"edited": sorted(original), "original": original},
        )


def support_confirmation_token(*, support: Support) -> str:
    return signing.dumps(support.pk, salt=SUPPORT_CONFIRMATION_SALT)


@transaction.atomic
def support_confirm(*, support_id: int) -> Support:
    """Count a waiting support; confirming twice is harmless."""
    support = Support.objects.select_for_update().get(pk=support_id)
    if support.confirmed_at is None:
        support.confirmed_at = timezone.now()
        support.save(update_fields=["confirmed_at"])
        Report.objects.filter(pk=support.report_id).update(support_count=F("support_count") + 1)
    return support


def support_confirm_link(*, token: str) -> Support:
    """Confirm an email-only support from its link (valid as long as unconfirmed data is kept)."""
    try:
        support_id = signing.loads(token, salt=SUPPORT_CONFIRMATION_SALT)
        return support_confirm(support_id=int(support_id))
    except (signing.BadSignature, TypeError, ValueError, Support.DoesNotExist) as exc:
        raise DomainError(ErrorCode.UNKNOWN_TOKEN, _("This confirmation link is not valid.")) from exc
