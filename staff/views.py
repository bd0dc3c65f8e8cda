"""Staff screens: a thin translation of forms into staff.services and staff.selectors."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from geodata.models import Area
from reports.models import Comment, Report, ReportPhoto
from reports.selectors import report_filters_parse
from staff import services
from staff.forms import (
    AdministratorGrantForm,
    AssignForm,
    BulkForm,
    InviteForm,
    ModerateForm,
    QueueFilterForm,
    ReplyTemplateForm,
    RerouteForm,
    RolesForm,
    StatusForm,
    UpdateForm,
)
from staff.models import Department, ReplyTemplate, ReportAssignment, StaffInvitation, StaffRole
from staff.selectors import (
    MODERATE_ROLES,
    PRIVATE_ROLES,
    TEAM_ROLES,
    VIEW_ROLES,
    WORK_ROLES,
    staff_can,
    staff_departments,
    staff_government_search,
    staff_governments,
    staff_invitations_pending,
    staff_is_member,
    staff_nearby_reports,
    staff_officers,
    staff_reply_templates,
    staff_report_answers,
    staff_report_get,
    staff_report_queue,
    staff_roles,
    staff_team,
    staff_team_governments,
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


def _language() -> str:
    return (get_language() or "ko")[:2]


def _points(reports, *, highlight: int | None = None) -> list[dict]:
    """Reports as map points for staff: the exact location, which staff may see."""
    return [
        {
            "id": r.pk, "lat": round(r.location.y, 6), "lon": round(r.location.x, 6), "status": r.status,
            "label": f"#{r.pk} {r.category.display_name(_language())}", "url": reverse("staff:report", args=[r.pk]),
            "current": r.pk == highlight,
        }
        for r in reports
    ]


def _queue_scope(request, data: dict) -> tuple[list[Area], list[Area], str]:
    governments = list(staff_governments(user=request.user))
    chosen_code = data.get("government") or ""
    chosen = [area for area in governments if area.code == chosen_code] if chosen_code else governments
    return governments, chosen, chosen_code


@staff_required
def queue(request):
    form = QueueFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    governments, chosen, chosen_code = _queue_scope(request, data)
    params = {"status": data.get("status") or "", "category": data.get("category") or ""}
    try:
        filters = report_filters_parse(params)
    except DomainError as exc:
        return HttpResponseBadRequest(exc.message)
    reports = staff_report_queue(user=request.user, governments=chosen, filters=filters, sort=data.get("sort") or "due")
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    single = chosen[0] if len(chosen) == 1 else None
    can_work = request.user.is_superuser or any(staff_roles(user=request.user, government_id=area.pk) & WORK_ROLES for area in chosen)
    bulk_form = BulkForm(
        report_ids=[], departments=staff_departments(government=single) if single else Department.objects.none(),
        officers=staff_officers(government=single) if single else get_user_model().objects.none(),
    )
    view = data.get("view") or "list"
    return render(request, "staff/queue.html", {
        "form": form, "page": page, "governments": governments, "chosen_code": chosen_code,
        "export_code": single.code if single else "", "bulk_form": bulk_form, "can_bulk": can_work,
        # Departments and officers belong to one government: bulk assignment needs one chosen.
        "can_assign": single is not None and can_work, "view": view,
        "points": _points(page) if view == "map" else [],
        "can_manage_team": request.user.is_superuser or any(staff_roles(user=request.user, government_id=g.pk) & TEAM_ROLES for g in governments),
    })


@require_POST
@staff_required
def queue_bulk(request):
    """Acknowledge or assign the reports ticked in the queue, in one service call."""
    back = request.POST.get("next") or ""
    back = back if back.startswith("/staff/") else reverse("staff:queue")
    ids = [int(value) for value in request.POST.getlist("reports") if value.isdigit()][:PAGE_SIZE * 4]
    reports = list(Report.objects.filter(pk__in=ids).select_related("local_government"))
    visible = [r for r in reports if staff_can(user=request.user, report=r, roles=VIEW_ROLES)]
    government = visible[0].local_government if visible and len({r.local_government_id for r in visible}) == 1 else None
    form = BulkForm(
        request.POST, report_ids=[r.pk for r in visible],
        departments=staff_departments(government=government) if government else Department.objects.none(),
        officers=staff_officers(government=government) if government else get_user_model().objects.none(),
    )
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    data = form.cleaned_data
    chosen = [r for r in visible if r.pk in set(data["reports"])]
    try:
        if data["action"] == BulkForm.ASSIGN:
            if government is None:
                raise DomainError("invalid_government", _("Assign reports of one local government at a time."))
            done = services.report_bulk_assign(reports=chosen, actor=request.user, department=data["department"], officer=data["officer"])
            messages.success(request, ngettext("%(n)d report assigned.", "%(n)d reports assigned.", len(done)) % {"n": len(done)})
        else:
            done = services.report_bulk_acknowledge(reports=chosen, actor=request.user)
            messages.success(request, ngettext("%(n)d report acknowledged.", "%(n)d reports acknowledged.", len(done)) % {"n": len(done)})
    except DomainError as exc:
        messages.error(request, " ".join([exc.message] + [e for errors in exc.fields.values() for e in errors]))
    return redirect(back)


def _report_context(request, report: Report, **forms) -> dict:
    user = request.user
    government = report.local_government
    can_work = staff_can(user=user, report=report, roles=WORK_ROLES)
    assignment = ReportAssignment.objects.select_related("department", "officer").filter(report=report).first()
    templates = list(staff_reply_templates(government_ids=[government.pk])) if can_work else []
    nearby = staff_nearby_reports(report=report)
    return {
        "report": report,
        "can_see_private": staff_can(user=user, report=report, roles=PRIVATE_ROLES),
        "can_work": can_work,
        "can_moderate": staff_can(user=user, report=report, roles=MODERATE_ROLES),
        "assignment": assignment,
        "answers": staff_report_answers(report=report, language=_language()),
        "nearby": nearby,
        "points": _points([report, *nearby], highlight=report.pk),
        "timeline": list(report.events.select_related("actor").order_by("created_at", "id")),
        "photos": list(report.photos.all()),
        "comments": list(report.comments.all()),
        "status_form": forms.get("status_form") or StatusForm(reply_templates=templates),
        "update_form": forms.get("update_form") or UpdateForm(reply_templates=templates),
        "assign_form": forms.get("assign_form") or AssignForm(departments=staff_departments(government=government), officers=staff_officers(government=government)),
        "reroute_form": forms.get("reroute_form") or RerouteForm(),
        "moderate_reasons": ModerateForm(),
        "reply_template_texts": {str(t.pk): t.text for t in templates},
    }


@staff_required
def report_detail(request, report_id: int):
    report = staff_report_get(user=request.user, report_id=report_id)
    return render(request, "staff/report.html", _report_context(request, report))


def _done(request, report: Report, message: str):
    messages.success(request, message)
    return redirect(reverse("staff:report", args=[report.pk]))


def _failed(request, report: Report, exc: DomainError, form=None, form_name: str = ""):
    """The page again, the errors beside the fields of the form that was posted."""
    if form is not None:
        placed = False
        for field, errors in exc.fields.items():
            for error in errors:
                if field in form.fields and error not in form.errors.get(field, []):
                    form.add_error(field, error)
                    placed = True
        if not form.errors or (not placed and exc.message not in form.non_field_errors()):
            form.add_error(None, exc.message)
    else:
        messages.error(request, " ".join([exc.message] + [e for errors in exc.fields.values() for e in errors]))
    forms = {form_name: form} if form is not None else {}
    return render(request, "staff/report.html", {**_report_context(request, report, **forms), "failed_form": form_name}, status=400)


def _form_action(request, report: Report, *, form, form_name: str, action: Callable[[dict], object], done: str):
    """A staff form posted on the report page: the service call on valid input, the page again with errors otherwise."""
    if not form.is_valid():
        return _failed(request, report, DomainError("invalid", _("Please correct the highlighted fields.")), form, form_name)
    try:
        action(form.cleaned_data)
    except DomainError as exc:
        return _failed(request, report, exc, form, form_name)
    return _done(request, report, done)


def _reply_templates_for(request, report: Report) -> list:
    return list(staff_reply_templates(government_ids=[report.local_government_id]))


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
        request, report, form=StatusForm(request.POST, reply_templates=_reply_templates_for(request, report)), form_name="status_form",
        action=change,
        done=_("Status changed; the reporter and supporters are told by email."),
    )


@require_POST
@staff_required
def report_update(request, report_id: int):
    report = staff_report_get(user=request.user, report_id=report_id)
    return _form_action(
        request, report, form=UpdateForm(request.POST, reply_templates=_reply_templates_for(request, report)), form_name="update_form",
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
        request, report, form=form, form_name="assign_form",
        action=lambda data: services.report_assign(report=report, actor=request.user, department=data["department"], officer=data["officer"]),
        done=_("Report assigned."),
    )


@require_POST
@staff_required
def report_reroute(request, report_id: int):
    report = staff_report_get(user=request.user, report_id=report_id)
    form = RerouteForm(request.POST)
    if not form.is_valid():
        return _failed(request, report, DomainError("invalid", _("Give the local government and a reason.")), form, "reroute_form")
    target = form.cleaned_data["to_government"]
    try:
        services.staff_reroute(report=report, actor=request.user, to_government=target, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        return _failed(request, report, exc, form, "reroute_form")
    messages.success(request, _("The report was passed to %(name)s.") % {"name": target.name})
    return redirect("staff:queue")


def _moderate_failed(request, report: Report, where: dict, message: str):
    context = {**_report_context(request, report), "moderate_error": {**where, "message": message}}
    return render(request, "staff/report.html", context, status=400)


@require_POST
@staff_required
def report_moderate(request, report_id: int):
    report = staff_report_get(user=request.user, report_id=report_id)
    form = ModerateForm(request.POST)
    # The page has one moderation form per photo and comment: the error goes back to the one posted.
    where = {"action": request.POST.get("action", ""), "target": request.POST.get("photo") or request.POST.get("comment") or ""}
    if not form.is_valid():
        return _moderate_failed(request, report, where, _("Say why."))
    data = form.cleaned_data
    comment = Comment.objects.filter(pk=data["comment"], report=report).first() if data.get("comment") else None
    photo = ReportPhoto.objects.filter(pk=data["photo"], report=report).first() if data.get("photo") else None
    try:
        services.report_moderate(report=report, actor=request.user, action=data["action"], reason=data["reason"], comment=comment, photo=photo)
    except DomainError as exc:
        return _moderate_failed(request, report, where, " ".join([exc.message] + [e for errors in exc.fields.values() for e in errors]))
    return _done(request, report, _("Done; the reason is kept in the audit trail."))


# --- the government's team ---------------------------------------------------------------------


def _team_government(request) -> tuple[Area, list[Area]]:
    governments = list(staff_team_governments(user=request.user))
    if not governments:
        raise PermissionDenied(_("This page is for the local government's administrators."))
    code = request.GET.get("government") or request.POST.get("government") or ""
    chosen = next((area for area in governments if area.code == code), None)
    if chosen is None and code:
        raise Http404(_("No local government with this code."))
    return chosen or governments[0], governments


def _team_context(request, government: Area, governments: list[Area], **forms) -> dict:
    return {
        "government": government,
        # A superuser may manage any of 243; the picker lists only the one in hand then.
        "governments": governments if len(governments) < 50 else [government],
        "team": staff_team(government=government),
        "invitations": list(staff_invitations_pending(government=government)),
        "reply_templates": list(staff_reply_templates(government_ids=[government.pk])),
        "invite_form": forms.get("invite_form") or InviteForm(),
        "template_form": forms.get("template_form") or ReplyTemplateForm(),
        "roles": StaffRole.Role.choices,
        "role_errors": forms.get("role_errors") or {},
    }


def _team_back(government: Area):
    return redirect(reverse("staff:team") + f"?government={government.code}")


def _apply_domain_error(form, exc: DomainError) -> None:
    for field, errors in exc.fields.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)
    if not exc.fields:
        form.add_error(None, exc.message)


def _team_form_post(request, government, governments, form, form_name: str, create, success) -> HttpResponse:
    """One team-page form: valid input goes to its service; any refusal re-renders the page (400)."""
    if form.is_valid():
        try:
            create(actor=request.user, government=government, **form.cleaned_data)
        except DomainError as exc:
            _apply_domain_error(form, exc)
        else:
            messages.success(request, success(form.cleaned_data))
            return _team_back(government)
    return render(request, "staff/team.html", _team_context(request, government, governments, **{form_name: form}), status=400)


@staff_required
def team(request):
    government, governments = _team_government(request)
    if request.method != "POST":
        return render(request, "staff/team.html", _team_context(request, government, governments))
    action = request.POST.get("action")
    if action == "invite":
        return _team_form_post(
            request, government, governments, InviteForm(request.POST), "invite_form", services.staff_invitation_create,
            lambda data: _("Invitation sent to %(email)s.") % {"email": data["email"]},
        )
    if action == "roles":
        form = RolesForm(request.POST)
        person = get_user_model().objects.filter(pk=form.data.get("user"), staff_roles__local_government=government).distinct().first()
        if form.is_valid() and person is not None:
            try:
                services.staff_role_set(actor=request.user, government=government, user=person, roles=set(form.cleaned_data["roles"]))
            except DomainError as exc:
                context = _team_context(request, government, governments, role_errors={person.pk: exc.message})
                return render(request, "staff/team.html", context, status=400)
            messages.success(request, _("Roles of %(name)s saved.") % {"name": person.get_username()})
            return _team_back(government)
        messages.error(request, _("Choose roles for a member of this team."))
        return _team_back(government)
    if action == "cancel_invitation":
        invitation = StaffInvitation.objects.filter(pk=request.POST.get("invitation") or 0, local_government=government).first()
        if invitation is not None:
            services.staff_invitation_cancel(actor=request.user, invitation=invitation)
            messages.success(request, _("Invitation cancelled."))
        return _team_back(government)
    if action == "add_template":
        return _team_form_post(
            request, government, governments, ReplyTemplateForm(request.POST), "template_form", services.reply_template_create,
            lambda data: _("Saved reply added."),
        )
    if action == "delete_template":
        template = ReplyTemplate.objects.filter(pk=request.POST.get("template") or 0, local_government=government).first()
        if template is not None:
            services.reply_template_delete(actor=request.user, template=template)
            messages.success(request, _("Saved reply deleted."))
        return _team_back(government)
    return HttpResponseBadRequest(_("Unknown action."))


def invitation(request, token):
    """Where the invitation email leads: sign in or up with the invited address, then accept."""
    found = StaffInvitation.objects.select_related("local_government").filter(token=token).first()
    if found is None or not found.is_usable:
        return render(request, "staff/invitation.html", {"invitation": None}, status=404)
    error = ""
    if request.method == "POST" and request.user.is_authenticated:
        try:
            services.staff_invitation_accept(token=token, user=request.user)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Welcome to the team of %(name)s.") % {"name": found.local_government.name})
            return redirect("staff:queue")
    elif request.method == "POST":
        return redirect_to_login(request.get_full_path())
    return render(request, "staff/invitation.html", {"invitation": found, "error": error}, status=400 if error else 200)


@staff_required
def administrators(request):
    """Superusers name each government's administrators, finding it by code or name."""
    if not request.user.is_superuser:
        raise PermissionDenied(_("Only site administrators name a local government's administrators."))
    form = AdministratorGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        government = form.cleaned_data["government"]
        try:
            result = services.staff_administrator_grant(actor=request.user, government=government, email=form.cleaned_data["email"])
        except DomainError as exc:
            _apply_domain_error(form, exc)
        else:
            if isinstance(result, StaffInvitation):
                messages.success(request, _("No account uses this address yet: an invitation was sent."))
            else:
                messages.success(request, _("%(user)s is now an administrator of %(name)s.") % {"user": result.user.get_username(), "name": government.name})
            return redirect("staff:administrators")
    current = StaffRole.objects.filter(role=StaffRole.Role.ADMINISTRATOR).select_related("user", "local_government").order_by("local_government__code")
    return render(request, "staff/administrators.html", {"form": form, "administrators": current}, status=400 if form.errors else 200)


@staff_required
def government_search(request):
    """Matches for the government pickers (datalists), by code or name."""
    language = _language()
    return JsonResponse({"results": [
        {"code": area.code, "name": area.display_name(language), "label": f"{area.name} ({area.code})",
         "province": area.parent.name if area.parent and area.level != "province" else ""}
        for area in staff_government_search(query=request.GET.get("q", ""))
    ]})
