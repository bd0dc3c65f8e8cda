"""The personal-data duties of PIPA that reach across the domain: what a confirmed address
unlocks, what deleting an account removes, and what the retention policy forgets.

It sits above accounts, reports and alerts (it changes all three), so none of them imports it.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import EmailConfirmation
from accounts.ratelimit import rate_limit_purge
from accounts.services import CONFIRMATION_SALT
from alerts.models import Subscription
from core.errors import DomainError, ErrorCode
from reports.models import Comment, Report, ReportEvent, ReportPhoto, Status, Support
from reports.services import report_confirm, support_confirm

DEFAULT_RETENTION_DAYS = 1095
UNCONFIRMED_DAYS = 7

REPORTER_FIELDS_CLEARED = {"reporter": None, "reporter_email": "", "reporter_name": "", "reporter_phone": "", "show_name": False}


def retention_days() -> int:
    return int(getattr(settings, "PERSONAL_DATA_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def account_confirm_email(*, token: str):
    """Confirm an account's address from its link; confirming twice is harmless.

    The address is now proven, so what waited for it goes ahead: the account's reports become
    public, its supports count, and the reports filed earlier with that address (email-only)
    become the account's.
    """
    max_age = timedelta(days=int(getattr(settings, "ACCOUNT_CONFIRMATION_DAYS", 7)))
    try:
        data = signing.loads(token, salt=CONFIRMATION_SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise DomainError(ErrorCode.UNKNOWN_TOKEN, _("This confirmation link has expired: sign in and ask for a new one.")) from exc
    except signing.BadSignature as exc:
        raise DomainError(ErrorCode.UNKNOWN_TOKEN, _("This confirmation link is not valid.")) from exc
    with transaction.atomic():
        confirmation = EmailConfirmation.objects.select_for_update().select_related("user").filter(user_id=data.get("user")).first()
        user = confirmation.user if confirmation else get_user_model().objects.filter(pk=data.get("user")).first()
        if user is None or user.email.lower() != data.get("email"):
            raise DomainError(ErrorCode.UNKNOWN_TOKEN, _("This confirmation link is not valid."))
        if confirmation is not None and confirmation.confirmed_at is None:
            confirmation.confirmed_at = timezone.now()
            confirmation.save(update_fields=["confirmed_at"])
        account_claim_reports(user=user)
        for token_of_report in Report.objects.filter(reporter=user, confirmed_at__isnull=True).values_list("confirmation_token", flat=True):
            report_confirm(token=token_of_report)
        for support_id in Support.objects.filter(user=user, confirmed_at__isnull=True).values_list("pk", flat=True):
            support_confirm(support_id=support_id)
    return user


def account_claim_reports(*, user) -> int:
    """Reports filed by email before the account existed become the account's ("my reports")."""
    if not user.email:
        return 0
    return Report.objects.filter(reporter__isnull=True, reporter_email__iexact=user.email).update(reporter=user)


def _forget_events_personal_data(report_ids) -> None:
    # A moderator hiding a name keeps the original name in the event: it goes with the rest.
    for event in ReportEvent.objects.filter(report_id__in=report_ids, kind=ReportEvent.Kind.MODERATED, data__original__has_key="reporter_name"):
        event.data["original"]["reporter_name"] = ""
        event.save(update_fields=["data"])


@transaction.atomic
def account_delete(*, user) -> None:
    """Delete an account. Its reports stay public (they are the government's record) without any reporter details."""
    report_ids = list(Report.objects.filter(reporter=user).values_list("pk", flat=True))
    Report.objects.filter(pk__in=report_ids).update(**REPORTER_FIELDS_CLEARED)
    if user.email:
        # Reports filed before signing up with the same address are this person's too.
        Report.objects.filter(reporter__isnull=True, reporter_email__iexact=user.email).update(**REPORTER_FIELDS_CLEARED)
    _forget_events_personal_data(report_ids)
    Comment.objects.filter(author=user).update(author=None, author_email="", author_name="", show_name=False)
    # Supports go with the account; keep each report's count exact.
    for report_id, count in Support.objects.filter(user=user, confirmed_at__isnull=False).values_list("report_id").annotate(n=Count("id")):
        Report.objects.filter(pk=report_id).update(support_count=F("support_count") - count)
    Support.objects.filter(user=user).delete()
    Subscription.objects.filter(user=user).delete()
    if user.email:
        Subscription.objects.filter(email__iexact=user.email).delete()
    user.delete()


def personal_data_purge(*, now=None) -> dict[str, int]:
    """Apply the retention policy; returns what was done, by kind. Run daily (`purge_personal_data`)."""
    now = now or timezone.now()
    closed_before = now - timedelta(days=retention_days())
    unconfirmed_before = now - timedelta(days=UNCONFIRMED_DAYS)
    with transaction.atomic():
        old_reports = Report.objects.filter(status=Status.CLOSED, closed_at__lt=closed_before).exclude(
            reporter__isnull=True, reporter_email="", reporter_name="", reporter_phone=""
        )
        old_ids = list(old_reports.values_list("pk", flat=True))
        anonymised = Report.objects.filter(pk__in=old_ids).update(**REPORTER_FIELDS_CLEARED)
        _forget_events_personal_data(old_ids)
        comments = Comment.objects.filter(report__status=Status.CLOSED, report__closed_at__lt=closed_before).exclude(
            author__isnull=True, author_email="", author_name=""
        ).update(author=None, author_email="", author_name="", show_name=False)
        # Email-only supporters of long-closed reports are forgotten; the count stays as the record.
        supports = Support.objects.filter(report__status=Status.CLOSED, report__closed_at__lt=closed_before).exclude(email="")
        _total, deleted = supports.filter(user__isnull=True).delete()
        supporter_emails = deleted.get("reports.Support", 0)
        supports.update(email="")
        stale = Report.objects.filter(confirmed_at__isnull=True, created_at__lt=unconfirmed_before)
        photos = list(ReportPhoto.objects.filter(report__in=stale))
        _total, deleted = stale.delete()
        unconfirmed = deleted.get("reports.Report", 0)
        _total, deleted = Subscription.objects.filter(confirmed_at__isnull=True, created_at__lt=unconfirmed_before).delete()
        subscriptions = deleted.get("alerts.Subscription", 0)
        # Never counted, so the counts stay as they are.
        _total, deleted = Support.objects.filter(confirmed_at__isnull=True, created_at__lt=unconfirmed_before).delete()
        unconfirmed_supports = deleted.get("reports.Support", 0)
        # Files are not transactional: remove them only once the rows are surely gone.
        transaction.on_commit(lambda: [photo.image.delete(save=False) for photo in photos])
    return {
        "reports_anonymised": anonymised,
        "comments_anonymised": comments,
        "supporter_emails_deleted": supporter_emails,
        "unconfirmed_reports_deleted": unconfirmed,
        "unconfirmed_subscriptions_deleted": subscriptions,
        "unconfirmed_supports_deleted": unconfirmed_supports,
        "rate_limit_hits_deleted": rate_limit_purge(),
    }
