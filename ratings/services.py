"""Writes for service ratings. The reporter's emailed link carries a signed token naming the report
and its closing; a rating is taken once per closing, and "not solved" reopens the report."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError, ErrorCode
from core.events import send_event
from ratings import signals
from ratings.models import ServiceRating
from reports.models import Report, ReportEvent, Status
from reports.services import report_reopen

RATING_SALT = "ratings.link"


def rating_token(*, report: Report, event: ReportEvent) -> str:
    return signing.dumps({"r": report.pk, "e": event.pk}, salt=RATING_SALT, compress=True)


def rating_link_check(*, token: str) -> tuple[Report, ReportEvent]:
    """The report and closing a link is for, or a DomainError: forged, expired, or already used."""
    try:
        data = signing.loads(token, salt=RATING_SALT, max_age=timedelta(days=settings.RATING_LINK_DAYS))
    except signing.SignatureExpired as exc:
        raise DomainError(ErrorCode.RATING_LINK_INVALID, _("This rating link has expired.")) from exc
    except signing.BadSignature as exc:
        raise DomainError(ErrorCode.RATING_LINK_INVALID, _("This rating link is not valid.")) from exc
    event = ReportEvent.objects.select_related("report").filter(
        pk=data.get("e"), report_id=data.get("r"), kind=ReportEvent.Kind.STATUS, to_status=Status.CLOSED,
    ).first()
    if event is None:
        raise DomainError(ErrorCode.RATING_LINK_INVALID, _("This rating link is not valid."))
    if ServiceRating.objects.filter(closed_event=event).exists():
        raise DomainError(ErrorCode.RATING_ALREADY_GIVEN, _("This report's handling has already been rated. Thank you."))
    return event.report, event


def rating_submit(*, token: str, score, solved: bool, user=None, now: datetime | None = None) -> ServiceRating:
    """Record the reporter's rating (1-5); "not solved" reopens the report and tells its government."""
    report, event = rating_link_check(token=token)
    if user is not None and user.is_authenticated and report.reporter_id and report.reporter_id != user.pk:
        raise DomainError(ErrorCode.RATING_NOT_REPORTER, _("Only the person who reported the problem can rate its handling."))
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise DomainError(ErrorCode.INVALID_RATING, _("Rate from 1 (poor) to 5 (excellent)."), fields={"score": [_("From 1 to 5.")]})
    if not isinstance(solved, bool):
        raise DomainError(ErrorCode.INVALID_RATING, _("Say whether the problem is really solved."), fields={"solved": [_("Yes or no.")]})
    try:
        with transaction.atomic():
            rating = ServiceRating.objects.create(report=report, closed_event=event, score=score, solved=solved, created_at=now or timezone.now())
            current = Report.objects.get(pk=report.pk)
            latest_close = ReportEvent.objects.filter(report=report, to_status=Status.CLOSED).order_by("-created_at", "-pk").first()
            # Reopen only the closing being rated: a report already reopened since is left as it is.
            if not solved and current.status == Status.CLOSED and latest_close and latest_close.pk == event.pk:
                report_reopen(report=current, reason=_("The reporter says the problem is not solved."), by_reporter=True)
                send_event(signals.rating_not_solved, ServiceRating, rating=rating)
    except IntegrityError as exc:  # the same link used twice at the same moment
        raise DomainError(ErrorCode.RATING_ALREADY_GIVEN, _("This report's handling has already been rated. Thank you.")) from exc
    return rating
