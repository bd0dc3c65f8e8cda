"""Staff screens: a thin translation of forms into staff.services and staff.selectors."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from geodata.models import Area
from reports.models import Comment, Report, ReportPhoto
from reports.selectors import report_filters_parse
from staff import services
from staff.forms import AssignForm, ModerateForm, QueueFilterForm, RerouteForm, StatusForm, UpdateForm
from staff.models import ReportAssignment
from staff.selectors import (
    MODERATE_ROLES,
    PRIVATE_ROLES,
    WORK_ROLES,
    staff_can,
    staff_departments,
    staff_governments,
    staff_is_member,
    staff_officers,
    staff_report_get,
    staff_report_queue,
)

PAGE_SIZE = 50


def staff_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not staff_is_member(user=request.user):
            raise PermissionDenied(_("This page is for local government staff."))
        return view(request, *args, **kwargs)

    return wrapper


@staff_required
def queue(request):
    form = QueueFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    governments = list(staff_governments(user=request.user))
    chosen_code = data.get("government") or ""
    chosen = [area for area in governments if area.code == chosen_code] if chosen_code else governments
    if request.user.is_superuser and not chosen_code:
        # Every government at once would be the whole country: superusers pick one.
        chosen = []
    params = {"status": data.get("status") or "", "category": data.get("category") or ""}
    try:
        filters = report_filters_parse(params)
    except DomainError as exc:
        return HttpResponseBadRequest(exc.message)
    reports = staff_report_queue(user=request.user, governments=chosen, filters=filters, sort=data.get("sort") or "due")
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    export_code = chosen[0].code if len(chosen) == 1 else ""
    return render(request, "staff/queue.html", {
        "form": form, "page": page, "governments": governments, "chosen_code": chosen_code, "export_code": export_code,
    })


def _report_context(request, report: Report, **forms) -> dict:
    user = request.user
    government = report.local_government
    can_work = staff_can(user=user, report=report, roles=WORK_ROLES)
    assignment = ReportAssignment.objects.select_related("department", "officer").filter(report=report).first()
    return {
        "report": report,
        "can_see_private": staff_can(user=user, report=report, roles=PRIVATE_ROLES),
        "can_work": can_work,
        "can_moderate": staff_can(user=user, report=report, roles=MODERATE_ROLES),
        "assignment": assignment,
        "timeline": list(report.events.select_related("actor").order_by("created_at", "id")),
        "photos": list(report.photos.all()),
        "comments": list(report.comments.all()),
        "status_form": forms.get("status_form") or StatusForm(),
        "update_form": forms.get("update_form") or UpdateForm(),
        "assign_form": forms.get("assign_form") or AssignForm(departments=staff_departments(government=government), officers=staff_officers(government=government)),
        "reroute_form": forms.get("reroute_form") or RerouteForm(),
        "moderate_reasons": ModerateForm(),
    }


@staff_required
def report_detail(request, report_id: int):
    report = staff_report_get(user=request.user, report_id=report_id)
    return render(request, "staff/report.html", _report_context(request, report))


def _done(request, report: Report, message: str):
    messages.success(request, message)
    return redirect(reverse("staff:report", args=[report.pk]))


def _failed(request, report: Report, exc: DomainError, **forms):
    messages.error(request, exc.message)
    for field_errors in exc.fields.values():
        for error in field_errors:
            messages.error(request, error)
    return render(request, "staff/report.html", _report_context(request, report, **forms), status=400)


def _form_action(request, report: Report, *, form, form_name: str, invalid: str, action: Callable[[dict], object], done: str):
    """A staff form posted on the report page: the service call on valid input, the page again with errors otherwise."""
    if not form.is_valid():
        return _failed(request, report, DomainError("invalid", invalid), **{form_name: form})
    try:
        action(form.cleaned_data)
    except DomainError as exc:
        return _failed(request, report, exc, **{form_name: form})
    return _done(request, report, done)


@require_POST
@staff_required
def report_status(request, report_id: int):
    report = staff_report_get(user=request.user, report_id=report_id)

    def change(data: dict) -> None:
        duplicate_of = Report.objects.filter(pk=data["duplicate_of"]).first() if data.get("duplicate_of") else None
        services.staff_change_status(
            report=report, actor=request.user, to_status=data["to_status"], reason=data["reason"],
            public_note=data["public_note"], outcome=data["outcome"], duplicate_of=duplicate_of,
        )

    return _form_action(
        request, report, form=StatusForm(request.POST), form_name="status_form",
        invalid=_("Please correct the highlighted fields."), action=change,
        done=_("Status changed; the reporter and supporters are told by email."),
    )


@require_POST
@staff_required
def report_update(request, report_id: int):
    report = staff_report_get(user=request.user, report_id=report_id)
    return _form_action(
        request, report, form=UpdateForm(request.POST), form_name="update_form", invalid=_("Write the update."),
        action=lambda data: services.report_official_update(report=report, actor=request.user, public_note=data["public_note"]),
        done=_("Update posted."),
    )


@require_POST
@staff_required
def report_assign(request, report_id: int):
    report = staff_report_get(user=request.user, report_id=report_id)
    government = report.local_government
    form = AssignForm(request.POST, departments=staff_departments(government=government), officers=staff_officers(government=government))
    return _form_action(
        request, report, form=form, form_name="assign_form", invalid=_("Choose a department or an officer of this local government."),
        action=lambda data: services.report_assign(report=report, actor=request.user, department=data["department"], officer=data["officer"]),
        done=_("Report assigned."),
    )


@require_POST
@staff_required
def report_reroute(request, report_id: int):
    report = staff_report_get(user=request.user, report_id=report_id)
    form = RerouteForm(request.POST)
    if not form.is_valid():
        return _failed(request, report, DomainError("invalid", _("Give the local government's code and a reason.")), reroute_form=form)
    target = Area.objects.local_governments().current().with_code(form.cleaned_data["to_government"].strip()).first()
    if target is None:
        return _failed(request, report, DomainError("invalid_government", _("No local government has this code.")), reroute_form=form)
    try:
        services.staff_reroute(report=report, actor=request.user, to_government=target, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        return _failed(request, report, exc, reroute_form=form)
    messages.success(request, _("The report was passed to %(name)s.") % {"name": target.name})
    return redirect("staff:queue")


@require_POST
@staff_required
def report_moderate(request, report_id: int):
    report = staff_report_get(user=request.user, report_id=report_id)
    form = ModerateForm(request.POST)
    if not form.is_valid():
        return _failed(request, report, DomainError("reason_required", _("Say why.")))
    data = form.cleaned_data
    comment = Comment.objects.filter(pk=data["comment"], report=report).first() if data.get("comment") else None
    photo = ReportPhoto.objects.filter(pk=data["photo"], report=report).first() if data.get("photo") else None
    try:
        services.report_moderate(report=report, actor=request.user, action=data["action"], reason=data["reason"], comment=comment, photo=photo)
    except DomainError as exc:
        return _failed(request, report, exc)
    return _done(request, report, _("Done; the reason is kept in the audit trail."))
