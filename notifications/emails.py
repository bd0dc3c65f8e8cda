"""Every email the platform sends after a domain event; connected in NotificationsConfig.ready().

The domain never imports this app: it sends its events (reports.signals, staff.signals,
alerts.signals) inside the transaction of the change (core.events.send_event), and these receivers
turn them into outbox rows in that same transaction; the worker delivers them (notifications.outbox).
A new report's notices are the exception: they are rendered by the worker, from a job queued with
the report, to keep the request short.
Emails are written in the site's default language: a report carries no language preference.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.signals import account_needs_confirmation
from alerts.selectors import report_emails_stopped, subscriptions_for_report
from alerts.signals import subscription_needs_confirmation
from core.site import site_url
from notifications.outbox import message_enqueue
from notifications.worker import NOTIFY_NEW_REPORTS, job_wake
from proposals.models import ProposalSupport
from proposals.signals import obligation_created, proposal_answered
from ratings.services import rating_token
from ratings.signals import rating_not_solved
from reports.models import Report, ReportEvent, Support
from reports.signals import (
    report_created,
    report_needs_confirmation,
    report_rerouted,
    report_status_changed,
    support_needs_confirmation,
)
from staff.models import DigestEntry, StaffRole
from staff.selectors import staff_recipients_for_new_report
from staff.signals import report_official_update, staff_invitation_created


def public_report_url(report: Report) -> str:
    return site_url(reverse("mapping:report-detail", args=[report.pk]))


def report_manage_url(report: Report) -> str:
    """The reporter's private page for the report; the report's token is the secret."""
    return site_url(reverse("mapping:report-manage", args=[report.pk, report.token]))


def staff_report_url(report: Report) -> str:
    return site_url(reverse("staff:report", args=[report.pk]))


def _send(messages: list[EmailMessage]) -> None:
    """Queue the messages in the current transaction; nothing leaves the machine here."""
    for message in messages:
        message_enqueue(to=message.to, subject=message.subject, body=message.body, headers=message.extra_headers)


def _message(template: str, context: dict, to: str, headers: dict | None = None) -> EmailMessage:
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    return EmailMessage(subject=subject, body=body, to=[to], headers=headers or {})


def reporter_and_supporter_emails(report: Report) -> list[str]:
    """Everyone following a report: its reporter and its supporters (by account or by email), once each."""
    addresses: list[str] = []
    if report.reporter_email:
        addresses.append(report.reporter_email)
    elif report.reporter_id and report.reporter.email:
        addresses.append(report.reporter.email)
    for user_email, email in Support.objects.filter(report=report, confirmed_at__isnull=False).values_list("user__email", "email"):
        addresses.append(user_email or email)
    seen: set[str] = report_emails_stopped(report=report)  # addresses that stopped this report's emails
    unique = []
    for address in addresses:
        if address and address.lower() not in seen:
            seen.add(address.lower())
            unique.append(address)
    return unique


def notify_staff_of_report(report: Report) -> None:
    """Per-report staff get an email now; digest staff get the report in tomorrow's digest."""
    context = {"report": report, "url": staff_report_url(report)}
    messages = []
    for role in staff_recipients_for_new_report(report=report):
        if role.notify == StaffRole.Notify.DAILY_DIGEST:
            DigestEntry.objects.get_or_create(user=role.user, report=report)
        elif role.user.email not in {m.to[0] for m in messages}:
            messages.append(_message("staff/email/new_report", context, role.user.email))
    _send(messages)


def notify_subscribers_of_report(report: Report) -> None:
    if not Report.objects.public().filter(pk=report.pk).exists():
        return
    messages = []
    sent: set[str] = set()
    for subscription in subscriptions_for_report(report=report):
        address = subscription.address
        if not address or address.lower() in sent:
            continue
        sent.add(address.lower())
        unsubscribe = site_url(reverse("alerts:unsubscribe", args=[subscription.token]))
        context = {"report": report, "url": public_report_url(report), "subscription": subscription, "unsubscribe_url": unsubscribe}
        # RFC 8058: mail clients can unsubscribe in one click with a POST to this URL.
        headers = {"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
        messages.append(_message("alerts/email/new_report", context, address, headers))
    _send(messages)


@receiver(report_created, dispatch_uid="notifications.report_created")
def on_report_created(sender, report: Report, **kwargs) -> None:
    # Writing the staff notices and alerts took a third of a report's request, and a job each
    # cost the worker more than the request itself: the report leaves a notice row, and one job
    # (however many reports wait) has the worker write them all (report_notices_send).
    if report.is_sample:
        return
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO notifications_reportnotice (report_id, created_at) VALUES (%s, %s) ON CONFLICT DO NOTHING", [report.pk, timezone.now()])
    job_wake(NOTIFY_NEW_REPORTS)


# Reports whose notices one transaction writes: small enough that a failure retries little.
NOTICE_BATCH = 100


def report_notices_send(*, batch: int = NOTICE_BATCH) -> int:
    """The staff notices (or digest entries) and subscribers' alerts of every report waiting for
    them, a batch per transaction; returns how many reports. Two workers share the work (SKIP LOCKED)."""
    done = 0
    while True:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    """DELETE FROM notifications_reportnotice WHERE report_id IN (
                         SELECT report_id FROM notifications_reportnotice ORDER BY created_at, report_id
                         LIMIT %s FOR UPDATE SKIP LOCKED)
                       RETURNING report_id""",
                    [batch],
                )
                report_ids = [row[0] for row in cursor.fetchall()]
            reports = Report.objects.select_related("category", "local_government").filter(pk__in=report_ids, is_sample=False)
            for report in reports.order_by("pk"):
                notify_staff_of_report(report)
                notify_subscribers_of_report(report)
        done += len(report_ids)
        if len(report_ids) < batch:
            return done


@receiver(report_rerouted, dispatch_uid="notifications.report_rerouted")
def on_report_rerouted(sender, report: Report, event: ReportEvent, **kwargs) -> None:
    # The new government's staff learn of it as of a new report.
    report = Report.objects.select_related("category", "local_government").get(pk=report.pk)
    notify_staff_of_report(report)


def notify_followers(report: Report, event: ReportEvent) -> None:
    report = Report.objects.select_related("category", "local_government", "reporter").get(pk=report.pk)
    context = {"report": report, "event": event, "url": public_report_url(report)}
    reporter = (report.reporter_email or (report.reporter.email if report.reporter_id else "")).lower()
    _send([
        # Only the reporter gets the private link: it can reopen the report.
        _message("alerts/email/report_update", {**context, "manage_url": report_manage_url(report) if address.lower() == reporter else ""}, address)
        for address in reporter_and_supporter_emails(report)
    ])


@receiver(report_status_changed, dispatch_uid="notifications.report_status_changed")
def on_report_status_changed(sender, report: Report, event: ReportEvent, **kwargs) -> None:
    notify_followers(report, event)


@receiver(report_official_update, dispatch_uid="notifications.report_official_update")
def on_report_official_update(sender, report: Report, event: ReportEvent, **kwargs) -> None:
    notify_followers(report, event)


@receiver(subscription_needs_confirmation, dispatch_uid="notifications.subscription_needs_confirmation")
def on_subscription_needs_confirmation(sender, subscription, **kwargs) -> None:
    context = {
        "subscription": subscription,
        "confirm_url": site_url(reverse("alerts:confirm", args=[subscription.token])),
        "unsubscribe_url": site_url(reverse("alerts:unsubscribe", args=[subscription.token])),
    }
    _send([_message("alerts/email/confirm", context, subscription.email)])


def send_staff_digests() -> int:
    """One email per person listing the new reports waiting for them; returns the number of emails queued."""
    entries = DigestEntry.objects.select_related("user", "report__category", "report__local_government").order_by("user_id", "report__created_at")
    by_user: dict[int, list[DigestEntry]] = {}
    for entry in entries:
        by_user.setdefault(entry.user_id, []).append(entry)
    sent = 0
    for user_entries in by_user.values():
        user = user_entries[0].user
        # A report re-routed away since then is no longer this person's business.
        governments = set(StaffRole.objects.filter(user=user, role=StaffRole.Role.STAFF).values_list("local_government_id", flat=True))
        reports = [e.report for e in user_entries if e.report.local_government_id in governments]
        # The digest is queued and its entries dropped together: a crash between them neither loses nor doubles it.
        with transaction.atomic():
            if reports and user.email:
                context = {"reports": [(r, staff_report_url(r)) for r in reports], "queue_url": site_url(reverse("staff:queue"))}
                _send([_message("staff/email/digest", context, user.email)])
                sent += 1
            DigestEntry.objects.filter(pk__in=[e.pk for e in user_entries]).delete()
    return sent


@receiver(report_needs_confirmation, dispatch_uid="notifications.report_needs_confirmation")
def on_report_needs_confirmation(sender, report: Report, **kwargs) -> None:
    """An email-only reporter confirms the address before the report becomes public."""
    if not report.reporter_email:
        return
    link = site_url(reverse("mapping:report-confirm", args=[report.confirmation_token]))
    # Korean first: the reporter wrote to a Korean service; the English follows for visitors.
    with translation.override("ko"):
        subject = _("Confirm your report")
        body_ko = _("Thank you for your report (%(category)s, %(address)s).\nOpen this link to confirm it; it becomes public and goes to the local government once confirmed:\n%(link)s\n\nIf you did not send this report, ignore this email.") % {"category": report.category.name, "address": report.address, "link": link}
    with translation.override("en"):
        body_en = _("Thank you for your report (%(category)s, %(address)s).\nOpen this link to confirm it; it becomes public and goes to the local government once confirmed:\n%(link)s\n\nIf you did not send this report, ignore this email.") % {"category": report.category.name_en, "address": report.address, "link": link}
    manage = report_manage_url(report)
    with translation.override("ko"):
        body_ko += "\n\n" + _("Your private link to follow the report, reopen it or stop these emails (keep it to yourself):\n%(link)s") % {"link": manage}
    with translation.override("en"):
        body_en += "\n\n" + _("Your private link to follow the report, reopen it or stop these emails (keep it to yourself):\n%(link)s") % {"link": manage}
    _send([EmailMessage(subject=subject, body=f"{body_ko}\n\n---\n\n{body_en}", to=[report.reporter_email])])


@receiver(account_needs_confirmation, dispatch_uid="notifications.account_needs_confirmation")
def on_account_needs_confirmation(sender, user, token: str, **kwargs) -> None:
    """A new account proves its address before its reports go public."""
    context = {
        "user": user,
        "confirm_url": site_url(reverse("accounts:confirm-email", args=[token])),
        "days": settings.ACCOUNT_CONFIRMATION_DAYS,
    }
    _send([_message("accounts/email/confirm", context, user.email)])


@receiver(support_needs_confirmation, dispatch_uid="notifications.support_needs_confirmation")
def on_support_needs_confirmation(sender, support, token: str, **kwargs) -> None:
    """An email-only "me too" counts once its address is confirmed."""
    report = Report.objects.select_related("category").get(pk=support.report_id)
    context = {"report": report, "confirm_url": site_url(reverse("mapping:support-confirm", args=[token]))}
    _send([_message("mapping/email/support_confirm", context, support.email)])


# --- staff team (staff.signals.staff_invitation_created) ------------------------------------------


@receiver(staff_invitation_created, dispatch_uid="notifications.staff_invitation_created")
def on_staff_invitation_created(sender, invitation, **kwargs) -> None:
    """The invited person gets the link that gives them the role once they sign in or sign up."""
    from staff.models import StaffInvitation

    invitation = StaffInvitation.objects.select_related("local_government", "invited_by").get(pk=invitation.pk)
    context = {
        "invitation": invitation,
        "url": site_url(reverse("staff:invitation", args=[invitation.token])),
        "signup_url": site_url(reverse("accounts:signup")),
    }
    _send([_message("staff/email/invitation", context, invitation.email)])


# --- service ratings (ratings.signals; issue 16) ----------------------------------------------------


@receiver(report_status_changed, dispatch_uid="notifications.ask_for_rating")
def on_report_closed_ask_for_rating(sender, report: Report, event: ReportEvent, **kwargs) -> None:
    """When a report closes, its reporter gets a private link to rate the handling (1-5) and say if it is solved."""
    if event.kind != ReportEvent.Kind.STATUS or event.to_status != "closed":
        return
    report = Report.objects.select_related("category", "local_government", "reporter").get(pk=report.pk)
    address = report.reporter_email or (report.reporter.email if report.reporter_id else "")
    if report.is_sample or not address or address.lower() in report_emails_stopped(report=report):
        return
    context = {"report": report, "url": site_url(reverse("ratings:rate", args=[rating_token(report=report, event=event)])), "days": settings.RATING_LINK_DAYS}
    _send([_message("ratings/email/ask", context, address)])


@receiver(rating_not_solved, dispatch_uid="notifications.rating_not_solved")
def on_rating_not_solved(sender, rating, **kwargs) -> None:
    """The reporter says a closed report is not solved: it is reopened, and its government's staff hear of it."""
    report = Report.objects.select_related("category", "local_government").get(pk=rating.report_id)
    context = {"report": report, "rating": rating, "url": staff_report_url(report)}
    addresses = sorted({role.user.email for role in staff_recipients_for_new_report(report=report)})
    _send([_message("ratings/email/not_solved", context, address) for address in addresses])


# Proposals (issue 17): a crossed threshold tells the government's staff; an answer tells the author and supporters.
@receiver(obligation_created, dispatch_uid="notifications.obligation_created")
def on_obligation_created(sender, obligation, **kwargs) -> None:
    proposal = obligation.proposal
    if proposal.is_example:
        return
    roles = StaffRole.objects.filter(
        local_government_id=proposal.local_government_id, role__in=[StaffRole.Role.STAFF, StaffRole.Role.ADMINISTRATOR]
    ).select_related("user")
    addresses = sorted({role.user.email for role in roles if role.user.email and role.user.is_active})
    with translation.override(settings.LANGUAGE_CODE):
        deadline = date_format(timezone.localtime(obligation.deadline), "DATETIME_FORMAT")
    context = {
        "proposal": proposal, "obligation": obligation, "deadline": deadline,
        "url": site_url(reverse("proposals:detail", args=[proposal.pk])),
        "staff_url": site_url(reverse("proposals:staff-answer", args=[proposal.pk])),
    }
    _send([_message("proposals/email/obligation_created", context, address) for address in addresses])


@receiver(proposal_answered, dispatch_uid="notifications.proposal_answered")
def on_proposal_answered(sender, answer, **kwargs) -> None:
    proposal = answer.proposal
    if proposal.is_example:
        return
    addresses = {proposal.author.email} if proposal.author_id and proposal.author.email else set()
    addresses |= set(ProposalSupport.objects.filter(proposal=proposal, user__isnull=False).values_list("user__email", flat=True))
    context = {"proposal": proposal, "answer": answer, "url": site_url(reverse("proposals:detail", args=[proposal.pk]))}
    _send([_message("proposals/email/answered", context, address) for address in sorted(a for a in addresses if a)])
