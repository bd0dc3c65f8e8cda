"""The reporter's private page for one report, reached from every email about it.

The report's token in the link is the secret: no account is needed, so an email-only reporter can
follow the report before confirming it, reopen it and stop its emails.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from alerts.selectors import report_emails_stopped
from alerts.services import report_emails_set
from core.errors import DomainError
from mapping.forms import ReopenForm
from mapping.views import _answer_rows, _language
from reports.models import Report, Status
from reports.selectors import report_public_timeline
from reports.services import report_reopen


def _report_for_token(report_id: int, token) -> Report:
    report = Report.objects.select_related("category", "local_government", "reporter").filter(pk=report_id, token=token).first()
    if report is None:
        raise Http404(_("This link is not valid."))
    return report


def _reporter_email(report: Report) -> str:
    return report.reporter_email or (report.reporter.email if report.reporter_id else "")


def report_manage(request, report_id: int, token):
    report = _report_for_token(report_id, token)
    here = reverse("mapping:report-manage", args=[report.pk, report.token])
    reopen_form = ReopenForm()
    email = _reporter_email(report)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "reopen":
                reopen_form = ReopenForm(request.POST)
                if not reopen_form.is_valid():
                    raise DomainError("reason_required", _("Say why the report should be reopened."), fields={"reason": [_("Give a reason.")]})
                report_reopen(report=report, actor=report.reporter, reason=reopen_form.cleaned_data["reason"], by_reporter=True)
                messages.success(request, _("The report is open again."))
            elif action in ("stop_emails", "resume_emails") and email:
                stopped = report_emails_set(report=report, email=email, stopped=action == "stop_emails")
                messages.success(request, _("Emails about this report are stopped.") if stopped else _("Emails about this report resume."))
            else:
                raise DomainError("invalid_action", _("Unknown action."))
        except DomainError as exc:
            if action == "reopen":
                for error in exc.fields.get("reason", []) or [exc.message]:
                    if error not in reopen_form.errors.get("reason", []):
                        reopen_form.add_error("reason", error)
            else:
                messages.error(request, exc.message)
        else:
            return redirect(here)
    language = _language()
    context = {
        "report": report,
        "category_name": report.category.display_name(language),
        "government_name": report.local_government.display_name(language),
        "answers": _answer_rows(report, language),
        "timeline": report_public_timeline(report=report),
        "reopen_form": reopen_form,
        "can_reopen": report.status == Status.CLOSED,
        "email": email,
        "emails_stopped": bool(email) and email.lower() in report_emails_stopped(report=report),
        "is_public": report.confirmed_at is not None and not report.is_hidden,
    }
    return render(request, "mapping/report_manage.html", context, status=400 if reopen_form.errors else 200)
