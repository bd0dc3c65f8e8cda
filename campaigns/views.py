"""The campaign pages: thin views over campaigns.services and campaigns.selectors."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from django.views.static import serve

from campaigns.forms import (
    CampaignForm,
    MemberForm,
    ReasonForm,
    answer_name,
    entry_answers_from_post,
    entry_photos_from_files,
)
from campaigns.models import Campaign, CampaignMember, CampaignUnit, EntryStatus, WindowState
from campaigns.selectors import (
    campaign_contributors,
    campaign_coverage,
    campaign_dashboard,
    campaign_entry_counts,
    campaign_get,
    campaign_list_by_state,
    campaign_map_next,
    campaign_organiser_choices,
    campaign_public_entries,
    campaign_public_field_keys,
    campaign_role,
    campaign_timeline,
    campaign_units,
    campaign_units_geojson,
    entry_get,
    entry_list_for_author,
    entry_list_for_organisers,
    entry_photo_visible,
    entry_review_queue,
    governments_from_codes,
    organiser_from_choice,
)
from campaigns.services import (
    campaign_create,
    campaign_member_add,
    campaign_unit_set_priority,
    entry_hide,
    entry_resubmit,
    entry_send_back,
    entry_submit,
    entry_to_report,
    entry_validate,
)
from core.errors import DomainError, ErrorCode, json_error_response
from core.korean import with_particle_in_language as josa
from core.parsing import parse_int
from reports.models import Category
from reports.models import Status as ReportStatus
from reports.selectors import category_list
from reports.services import validate_coordinates

Role = CampaignMember.Role


def _campaign_or_404(slug: str) -> Campaign:
    campaign = campaign_get(slug=slug)
    if campaign is None:
        raise Http404(_("No such campaign."))
    return campaign


def _forbidden(request, message: str):
    return render(request, "campaigns/forbidden.html", {"message": message}, status=403)


def campaign_index(request):
    return render(request, "campaigns/index.html", {
        "groups": campaign_list_by_state(),
        "can_open": bool(campaign_organiser_choices(user=request.user)),
    })


@login_required
def campaign_new(request):
    organisers = campaign_organiser_choices(user=request.user)
    if not organisers:
        return _forbidden(request, _("Campaigns are opened by a local government's staff, or by a superuser for an organisation."))
    error_code = ""
    if request.method == "POST":
        form = CampaignForm(request.POST, organisers=organisers)
        if form.is_valid():
            data = form.cleaned_data
            government, organisation = organiser_from_choice(value=data["organiser"])
            governments, unknown = governments_from_codes(codes=data["governments"])
            drawn = None
            if data["drawn_area"].strip():
                try:
                    drawn = GEOSGeometry(data["drawn_area"].strip())
                except (GEOSException, ValueError, TypeError):
                    form.add_error("drawn_area", _("The drawn area is not a polygon we can read (GeoJSON or WKT)."))
            if unknown:
                form.add_error("governments", _("No local government has the code %(codes)s.") % {"codes": ", ".join(unknown)})
            if not form.errors:
                try:
                    campaign = campaign_create(
                        actor=request.user, slug=data["slug"], title=data["title"], theme=data["theme"],
                        description=data["description"], organiser_government=government,
                        organiser_organisation=organisation, governments=governments, drawn_area=drawn,
                        starts_at=data["starts_at"], ends_at=data["ends_at"], participation=data["participation"],
                        coverage_unit=data["coverage_unit"], form_fields=data["form_fields"], entry_types=data["entry_types"],
                    )
                except DomainError as exc:
                    error_code = str(exc.code)
                    _form_errors(form, exc)
                else:
                    messages.success(request, _("The campaign is open for organising: invite your teams and mark priority units."))
                    return redirect("campaigns:organise", slug=campaign.slug)
        if form.errors and not error_code:
            error_code = str(ErrorCode.INVALID)
    else:
        form = CampaignForm(organisers=organisers)
    return render(request, "campaigns/campaign_new.html", {"form": form, "error_code": error_code},
                  status=400 if request.method == "POST" else 200)


def _form_errors(form, exc: DomainError) -> None:
    """A DomainError's messages beside the fields they concern, the rest at the top."""
    form.add_error(None, exc.message)
    for field, field_messages in exc.fields.items():
        name = "drawn_area" if field == "area" else field
        for message in field_messages:
            form.add_error(name if name in form.fields else None, message)


def campaign_detail(request, slug: str):
    campaign = _campaign_or_404(slug)
    role = campaign_role(campaign=campaign, user=request.user)
    coverage = campaign_coverage(campaign=campaign)
    counts = campaign_entry_counts(campaign=campaign)
    dashboard = campaign_dashboard(campaign=campaign)
    return render(request, "campaigns/campaign_detail.html", {
        "campaign": campaign,
        "state": campaign.window_state(),
        "role": role,
        "can_review": role in (Role.ORGANISER, Role.VALIDATOR),
        "organised_by": _("%(organiser)s organises this campaign.") % {"organiser": josa(campaign.organiser_name, "이")},
        "partners": [partner.name for partner in campaign.partners.all()],
        "coverage": coverage,
        "coverage_percent": f"{coverage['share'] * 100:.0f}",
        "contributors": campaign_contributors(campaign=campaign),
        "entry_counts": counts,
        "entry_total": sum(counts.values()),
        "status_rows": [(label, counts[code]) for code, label in EntryStatus.choices],
        "timeline": campaign_timeline(campaign=campaign),
        "dashboard": dashboard,
        "report_rows": [(label, code, dashboard["by_status"][code]) for code, label in ReportStatus.choices],
        "my_entries": entry_list_for_author(campaign=campaign, user=request.user),
        "statuses": EntryStatus,
        "states": WindowState,
    })


@require_safe
def campaign_map_data(request, slug: str):
    """The page's map data: public entries (public answers only, no author) and the coverage units."""
    campaign = _campaign_or_404(slug)
    public_keys = campaign_public_field_keys(campaign=campaign)
    fields = [
        {"key": f["key"], "label": f["label"], "datatype": f["datatype"], "values": f.get("values", [])}
        for f in campaign.form_fields if f["key"] in public_keys
    ]
    return JsonResponse({
        "entry_types": campaign.entry_types,
        "fields": fields,
        "statuses": {status: str(label) for status, label in EntryStatus.choices},
        "entries": campaign_public_entries(campaign=campaign),
        "units": campaign_units_geojson(campaign=campaign),
        "coverage": campaign_coverage(campaign=campaign),
    }, json_dumps_params={"ensure_ascii": False})


@require_safe
def campaign_next(request, slug: str):
    """Map next: the unit a volunteer at (lon, lat) should map."""
    campaign = _campaign_or_404(slug)
    try:
        lon, lat = validate_coordinates(request.GET.get("lon"), request.GET.get("lat"))
    except DomainError as exc:
        return json_error_response(exc)
    unit = campaign_map_next(campaign=campaign, lon=lon, lat=lat)
    if unit is None:
        return json_error_response(DomainError(ErrorCode.NOT_FOUND, _("This campaign has no units.")))
    centre = unit.geom.point_on_surface
    return JsonResponse({"id": unit.pk, "label": unit.label, "priority": unit.priority,
                         "message": _("Map next: %(unit)s.") % {"unit": josa(unit.label, "으로")},
                         "lon": round(centre.x, 6), "lat": round(centre.y, 6), "bbox": [round(v, 6) for v in unit.geom.extent]},
                        json_dumps_params={"ensure_ascii": False})


def _field_rows(campaign: Campaign, post=None, errors=None, answers=None) -> list[dict]:
    rows = []
    for field in campaign.form_fields:
        key = field["key"]
        if post is not None:
            value = post.getlist(answer_name(key)) if field["datatype"] == "multivaluelist" else post.get(answer_name(key), "")
        else:
            value = (answers or {}).get(key, [] if field["datatype"] == "multivaluelist" else "")
        rows.append({**field, "name": answer_name(key), "id": f"id_{answer_name(key)}", "value": value,
                     "errors": (errors or {}).get(f"answers.{key}", [])})
    return rows


@login_required
def entry_new(request, slug: str):
    campaign = _campaign_or_404(slug)
    role = campaign_role(campaign=campaign, user=request.user)
    errors: dict[str, list[str]] = {}
    message, error_code = "", ""
    if request.method == "POST":
        try:
            entry_submit(
                campaign=campaign, author=request.user, entry_type=request.POST.get("entry_type", ""),
                lon=request.POST.get("lon"), lat=request.POST.get("lat"),
                answers=entry_answers_from_post(request.POST, campaign.form_fields),
                photos=entry_photos_from_files(request.FILES, campaign.form_fields),
            )
        except DomainError as exc:
            message, error_code, errors = exc.message, str(exc.code), exc.fields
        else:
            messages.success(request, _("Thank you: your entry is on the map and waits for a validator."))
            return redirect(reverse("campaigns:entry-new", kwargs={"slug": slug}) + "?sent=1")
    return render(request, "campaigns/entry_form.html", {
        "campaign": campaign, "role": role, "state": campaign.window_state(), "states": WindowState,
        "fields": _field_rows(campaign, request.POST if request.method == "POST" else None, errors),
        "chosen_type": request.POST.get("entry_type", "") if request.method == "POST" else "",
        "lon": request.POST.get("lon", "") if request.method == "POST" else "",
        "lat": request.POST.get("lat", "") if request.method == "POST" else "",
        "message": message, "error_code": error_code, "errors": errors,
        "other_errors": [m for f, ms in errors.items() if not f.startswith("answers.") for m in ms],
    }, status=400 if error_code else 200)


@login_required
def entry_resubmit_view(request, slug: str, entry_id: int):
    campaign = _campaign_or_404(slug)
    entry = entry_get(campaign=campaign, entry_id=entry_id)
    if entry is None or entry.author_id != request.user.pk:
        raise Http404(_("No such entry."))
    errors: dict[str, list[str]] = {}
    message, error_code = "", ""
    if request.method == "POST":
        try:
            entry_resubmit(entry=entry, actor=request.user, answers=entry_answers_from_post(request.POST, campaign.form_fields),
                           lon=request.POST.get("lon") or None, lat=request.POST.get("lat") or None)
        except DomainError as exc:
            message, error_code, errors = exc.message, str(exc.code), exc.fields
        else:
            messages.success(request, _("Your corrected entry is back with the validators."))
            return redirect("campaigns:detail", slug=slug)
    reason = entry.events.filter(action="sent_back").order_by("-created_at").values_list("reason", flat=True).first()
    return render(request, "campaigns/entry_resubmit.html", {
        "campaign": campaign, "entry": entry, "reason": reason,
        "fields": [row for row in _field_rows(campaign, request.POST if request.method == "POST" else None, errors, entry.answers)
                   if row["datatype"] != "photo"],
        "message": message, "error_code": error_code,
    }, status=400 if error_code else 200)


def _entry_rows(campaign: Campaign, entries) -> list[dict]:
    """Entries with every answer labelled, for organisers and validators only."""
    rows = []
    for entry in entries:
        answers = []
        for field in campaign.form_fields:
            if field["key"] not in entry.answers:
                continue
            value = entry.answers[field["key"]]
            names = {v["key"]: v["name"] for v in field.get("values", [])}
            shown = ", ".join(names.get(v, v) for v in value) if isinstance(value, list) else names.get(str(value), value)
            answers.append({"label": field["label"], "value": shown, "public": field.get("public", False)})
        rows.append({"entry": entry, "answers": answers, "type": campaign.entry_type(entry.entry_type) or {"label": entry.entry_type},
                     "photos": list(entry.photos.all())})
    return rows


@login_required
def review_queue(request, slug: str):
    campaign = _campaign_or_404(slug)
    if campaign_role(campaign=campaign, user=request.user) not in (Role.ORGANISER, Role.VALIDATOR):
        return _forbidden(request, _("Only the campaign's organisers and validators review entries."))
    return render(request, "campaigns/review.html", {
        "campaign": campaign,
        "rows": _entry_rows(campaign, entry_review_queue(campaign=campaign)),
        "reason_form": ReasonForm(),
    })


@login_required
def organise(request, slug: str):
    campaign = _campaign_or_404(slug)
    role = campaign_role(campaign=campaign, user=request.user)
    if role not in (Role.ORGANISER, Role.VALIDATOR):
        return _forbidden(request, _("Only the campaign's organisers and validators see its tools."))
    entries = entry_list_for_organisers(campaign=campaign).prefetch_related("photos")
    return render(request, "campaigns/organise.html", {
        "campaign": campaign,
        "is_organiser": role == Role.ORGANISER,
        "members": campaign.members.select_related("user").order_by("team", "role", "user__username"),
        "member_form": MemberForm(),
        "units": campaign_units(campaign=campaign),
        "rows": _entry_rows(campaign, entries),
        "categories": category_list(),
        "coverage": campaign_coverage(campaign=campaign),
    })


def _entry_action(request, slug: str, entry_id: int, action):
    """Run one entry action from a POSTed form and come back to the page it came from."""
    campaign = _campaign_or_404(slug)
    entry = entry_get(campaign=campaign, entry_id=entry_id)
    if entry is None:
        raise Http404(_("No such entry."))
    back = request.POST.get("next", "")
    if back not in ("review", "organise"):
        back = "review"
    try:
        done = action(campaign, entry)
    except DomainError as exc:
        messages.error(request, exc.message)
        response = redirect(f"campaigns:{back}", slug=slug)
        response.status_code = 303
        return response
    messages.success(request, done)
    return redirect(f"campaigns:{back}", slug=slug)


def _entry_review_view(service, done, *, with_reason: bool):
    """A reviewer's POSTed action on an entry (validate, send back, hide): the service, then a message naming the entry."""
    @require_POST
    @login_required
    def view(request, slug: str, entry_id: int):
        def action(campaign, entry):
            reason = {"reason": request.POST.get("reason", "")} if with_reason else {}
            service(entry=entry, actor=request.user, **reason)
            return done % {"id": entry.pk}
        return _entry_action(request, slug, entry_id, action)
    return view


entry_validate_view = _entry_review_view(entry_validate, gettext_lazy("Entry #%(id)d validated."), with_reason=False)
entry_send_back_view = _entry_review_view(entry_send_back, gettext_lazy("Entry #%(id)d sent back to its author."), with_reason=True)
entry_hide_view = _entry_review_view(entry_hide, gettext_lazy("Entry #%(id)d hidden."), with_reason=True)


@require_POST
@login_required
def entry_report_view(request, slug: str, entry_id: int):
    def action(campaign, entry):
        raw = request.POST.get("category", "")
        category_id = parse_int("category", raw, minimum=1, maximum=2**31 - 1) if raw else None
        category = Category.objects.filter(pk=category_id, is_active=True).first() if category_id else None
        report = entry_to_report(entry=entry, actor=request.user, category=category)
        return _("Entry #%(id)d is now report #%(report)d, sent to %(government)s.") % {
            "id": entry.pk, "report": report.pk, "government": report.local_government.name}
    return _entry_action(request, slug, entry_id, action)


@require_POST
@login_required
def member_add_view(request, slug: str):
    campaign = _campaign_or_404(slug)
    form = MemberForm(request.POST)
    if form.is_valid():
        person = form.cleaned_data["person"].strip()
        users = get_user_model().objects
        user = users.filter(username=person).first() or users.filter(email__iexact=person).first()
        try:
            campaign_member_add(campaign=campaign, actor=request.user, user=user,
                                role=form.cleaned_data["role"], team=form.cleaned_data["team"])
        except DomainError as exc:
            messages.error(request, " ".join([exc.message, *[m for ms in exc.fields.values() for m in ms]]))
        else:
            messages.success(request, _("%(person)s is now a member.") % {"person": person})
    else:
        messages.error(request, _("Give a user name or email and a role."))
    return redirect("campaigns:organise", slug=slug)


@require_POST
@login_required
def unit_priority_view(request, slug: str, unit_id: int):
    campaign = _campaign_or_404(slug)
    unit = CampaignUnit.objects.filter(campaign=campaign, pk=unit_id).select_related("campaign").first()
    if unit is None:
        raise Http404(_("No such unit."))
    try:
        campaign_unit_set_priority(unit=unit, actor=request.user, priority=request.POST.get("priority") == "1")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("campaigns:organise", kwargs={"slug": slug}) + "#units")


@require_safe
def entry_photo(request, slug: str, photo_id: int) -> HttpResponse:
    campaign = _campaign_or_404(slug)
    photo = entry_photo_visible(campaign=campaign, photo_id=photo_id, user=request.user)
    if photo is None:
        raise Http404(_("No such photo."))
    response = serve(request, photo.image.name, document_root=settings.MEDIA_ROOT)
    public = not photo.entry.is_hidden and photo.field_key in campaign_public_field_keys(campaign=campaign)
    response["Cache-Control"] = "no-cache" if public else "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
