"""The residents' web map: thin views over reports.services and the selectors."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.ratelimit import rate_limited
from accounts.selectors import account_email_confirmed
from core.errors import DomainError, ErrorCode, json_error_response
from core.parsing import parse_int
from geodata.selectors import (
    area_code_today,
    area_get,
    local_government_list,
    looks_like_street_address,
    place_search,
)
from mapping.alert_forms import CommentForm
from mapping.forms import ReopenForm, ReportForm, SupportForm, answer_field_name, answers_from_post
from mapping.selectors import ADDRESS_EN_RELATED, map_data, map_list, report_address_en
from proposals.selectors import government_obligations, obligation_status
from reports.models import Category, Question, Report, Status
from reports.photos import PhotoError, photo_gps
from reports.selectors import (
    ReportFilters,
    category_get_active,
    category_list,
    report_counts,
    report_filters_parse,
    report_get_public,
    report_list,
    report_nearby_open,
    report_public_timeline,
)
from reports.services import (
    report_confirm,
    report_create,
    report_reopen,
    report_support,
    support_confirm_link,
    validate_coordinates,
)
from reports.services_comments import comment_list_public

PENDING_TOKENS = "report_form_tokens"
DONE_TOKENS = "report_form_done"
KEEP_TOKENS = 20


def _language() -> str:
    return get_language() or "ko"


def _json_error(code: str, message: str, status: int = 400, fields: dict | None = None) -> JsonResponse:
    return json_error_response(DomainError(code, message, fields), status=status)


def about(request):
    return render(request, "mapping/about.html")


# --- the map -----------------------------------------------------------------------------


def home(request):
    language = _language()
    categories = category_list()
    try:
        filters = report_filters_parse(request.GET)
    except DomainError:
        filters = report_filters_parse({})
    return render(request, "mapping/home.html", {
        "categories": [(c.code, c.display_name(language)) for c in categories],
        "statuses": Status.choices,
        "selected_category": request.GET.get("category", ""),
        "selected_status": request.GET.get("status", ""),
        "reports": map_list(filters=filters, limit=20, language=language),
    })


@require_GET
def map_reports(request):
    """Reports in a map view: grid counts when zoomed out, points when zoomed in, and the list."""
    try:
        filters = report_filters_parse(request.GET)
        zoom = parse_int("zoom", request.GET.get("zoom", "7"), minimum=-1000, maximum=1000)
    except DomainError as exc:
        return _json_error(exc.code, exc.message, fields=exc.fields)
    zoom = max(0, min(zoom, 22))
    language = _language()
    data = map_data(filters=filters, zoom=zoom, language=language)
    return JsonResponse({
        "mode": data.mode,
        "features": data.features,
        "truncated": data.truncated,
        "list": [
            {
                "id": report.pk,
                "url": reverse("mapping:report-detail", args=[report.pk]),
                "category": report.category.display_name(language),
                "status": report.get_status_display(),
                "status_code": report.status,
                "address": report.address,
                "created_at": timezone.localtime(report.created_at).strftime("%Y-%m-%d"),
                "overdue": report.is_overdue,
            }
            for report in map_list(filters=filters, language=language)
        ],
    })


@require_GET
def places(request):
    """Provinces, local governments and 읍면동 for the place search boxes, Korean or romanized."""
    query = request.GET.get("q", "")[:50]
    english = _language().startswith("en")
    if looks_like_street_address(query):
        return JsonResponse({"results": [], "hint": _(
            "Street addresses cannot be searched yet: search a 시군구 or 읍면동 name, then move the pin."
        )})
    results = place_search(query=query, limit=10)
    for place in results:
        name = place["name_en"] if english and place["name_en"] else place["name"]
        context = place["context_en"] if english and place["context_en"] else place["context"]
        place["label"] = f"{name} ({context})" if context else name
    return JsonResponse({"results": results})


@require_GET
def nearby(request):
    """Open reports of a category within 250 m of a pin, to support instead of filing again."""
    try:
        lon, lat = validate_coordinates(request.GET.get("lon"), request.GET.get("lat"))
    except DomainError as exc:
        return _json_error(exc.code, exc.message)
    category = category_get_active(code=request.GET.get("category", ""))
    language = _language()
    reports = report_nearby_open(lon=lon, lat=lat, category=category)
    return JsonResponse({"results": [
        {
            "id": report.pk,
            "url": reverse("mapping:report-detail", args=[report.pk]),
            "category": report.category.display_name(language),
            "status": report.get_status_display(),
            "distance_m": round(report.distance.m),
            "support_count": report.support_count,
            "support_label": ngettext("%(count)d supporter", "%(count)d supporters", report.support_count) % {
                "count": report.support_count
            },
            "description": report.description[:120],
        }
        for report in reports
    ]})


@require_POST
def photo_location(request):
    """Where a photo says it was taken, to offer as the pin. The photo is never stored."""
    upload = request.FILES.get("photo")
    if upload is None:
        return _json_error("missing_photo", _("Attach a photo."))
    try:
        gps = photo_gps(upload)
    except PhotoError as exc:
        return _json_error("invalid_photo", str(exc))
    if gps is None:
        return JsonResponse({"location": None})
    return JsonResponse({"location": {"lon": gps[0], "lat": gps[1]}})


# --- filing a report -----------------------------------------------------------------------


def _new_token(request) -> str:
    token = str(uuid.uuid4())
    pending = request.session.get(PENDING_TOKENS, [])[-(KEEP_TOKENS - 1):]
    request.session[PENDING_TOKENS] = [*pending, token]
    return token


def _finish_token(request, token: str, report: Report) -> None:
    request.session[PENDING_TOKENS] = [t for t in request.session.get(PENDING_TOKENS, []) if t != token]
    done = dict(list(request.session.get(DONE_TOKENS, {}).items())[-(KEEP_TOKENS - 1):])
    done[token] = report.pk
    request.session[DONE_TOKENS] = done


def _after_submit(report_id: int):
    """Where a submitted form leads: the public page, or 'check your email' until confirmed."""
    if Report.objects.public().filter(pk=report_id).exists():
        return redirect("mapping:report-detail", report_id)
    return redirect("mapping:report-sent")


def _question_groups(categories: list[Category], language: str, post=None, errors: dict | None = None) -> list[dict]:
    """Each category's questions as inputs by Open311 datatype, in the current language."""
    errors = errors or {}
    groups = []
    for category in categories:
        questions = []
        for question in category.questions.all():
            if not question.variable:
                questions.append({"info": True, "label": question.display_description(language)})
                continue
            name = answer_field_name(category, question)
            questions.append({
                "name": name,
                "id": f"id_{name}",
                "label": question.display_description(language),
                "help": question.datatype_description,
                "datatype": question.datatype,
                "required": question.required,
                "choices": [
                    (str(v["key"]), v.get("name_en") if language.startswith("en") and v.get("name_en") else v.get("name", v["key"]))
                    for v in question.values
                ],
                "many_choices": len(question.values) > 5,
                "value": post.get(name, "") if post is not None else "",
                "values": post.getlist(name) if post is not None else [],
                "errors": errors.get(question.code, []),
            })
        groups.append({"category": category, "questions": questions})
    return groups


def report_new(request):
    language = _language()
    categories = category_list()
    signed_in = request.user.is_authenticated
    answer_errors: dict[str, list[str]] = {}
    photo_errors: list[str] = []
    chosen_category = ""
    # The machine-readable error, as the APIs give it (the page shows the messages).
    error_code, error_fields = "", []
    if request.method == "POST":
        token = request.POST.get("form_token", "")
        done = request.session.get(DONE_TOKENS, {})
        if token in done:
            return _after_submit(done[token])
        form = ReportForm(request.POST, categories=categories, language=language, signed_in=signed_in)
        chosen_category = request.POST.get("category", "")
        if token not in request.session.get(PENDING_TOKENS, []):
            form.is_valid()
            form.add_error(None, _("This form has expired. Check it and send it again."))
            token = None
        elif form.is_valid() and not signed_in and rate_limited(request, scope="report", email=form.cleaned_data["email"]):
            form.add_error(None, _("Too many reports from this address or email. Try again later."))
        elif form.is_valid():
            category = form.selected_category()
            try:
                report = report_create(
                    category=category,
                    lon=form.cleaned_data["lon"],
                    lat=form.cleaned_data["lat"],
                    description=form.cleaned_data["description"],
                    answers=answers_from_post(request.POST, category),
                    photos=request.FILES.getlist("photos"),
                    reporter=request.user if signed_in else None,
                    reporter_email="" if signed_in else form.cleaned_data["email"],
                    reporter_name=form.cleaned_data["name"],
                    show_name=form.cleaned_data["show_name"],
                )
            except DomainError as exc:
                error_code, error_fields = str(exc.code), sorted(exc.fields)
                form.add_error(None, exc.message)
                for field, field_messages in exc.fields.items():
                    if field.startswith("answers."):
                        answer_errors[field.removeprefix("answers.")] = field_messages
                    elif field == "photos":
                        photo_errors = field_messages
                    elif field in form.fields:
                        for message in field_messages:
                            form.add_error(field, message)
                    else:
                        for message in field_messages:
                            form.add_error(None, message)
            else:
                _finish_token(request, token, report)
                return _after_submit(report.pk)
        if form.errors and not error_code:
            error_code, error_fields = str(ErrorCode.INVALID), sorted(name for name in form.errors if name != "__all__")
        if token is None:
            token = _new_token(request)
        form.data = form.data.copy()
        form.data["form_token"] = token
        post = request.POST
    else:
        token = _new_token(request)
        chosen_category = request.GET.get("category", "")
        initial = {"form_token": token, "category": chosen_category}
        for name in ("lon", "lat"):
            if request.GET.get(name):
                initial[name] = request.GET[name]
        form = ReportForm(initial=initial, categories=categories, language=language, signed_in=signed_in)
        post = None
    return render(request, "mapping/report_new.html", {
        "form": form,
        "form_token": token,
        "signed_in": signed_in,
        "account_unconfirmed": signed_in and not account_email_confirmed(user=request.user),
        "question_groups": _question_groups(categories, language, post, answer_errors),
        "chosen_category": chosen_category,
        "photo_errors": photo_errors,
        "error_code": error_code,
        "error_fields": error_fields,
        "datatypes": Question.Datatype,
    }, status=400 if request.method == "POST" else 200)


def report_sent(request):
    return render(request, "mapping/report_sent.html")


def report_confirm_link(request, token):
    try:
        report = report_confirm(token=token)
    except Report.DoesNotExist as exc:
        raise Http404(_("This confirmation link is not valid.")) from exc
    messages.success(request, _("Thank you: your report is confirmed and now public."))
    return redirect("mapping:report-detail", report.pk)


# --- the report page -------------------------------------------------------------------------


def _answer_rows(report: Report, language: str) -> list[tuple[str, str]]:
    rows = []
    for question in report.category.questions.all():
        if question.code not in report.answers:
            continue
        value = report.answers[question.code]
        labels = {str(v["key"]): (v.get("name_en") if language.startswith("en") and v.get("name_en") else v.get("name")) for v in question.values}
        if isinstance(value, list):
            shown = ", ".join(labels.get(str(item), str(item)) for item in value)
        else:
            shown = labels.get(str(value), str(value))
        rows.append((question.display_description(language), shown))
    return rows


def public_report_or_404(report_id: int):
    """The public report, for every view that shows or acts on one."""
    report = report_get_public(report_id=report_id)
    if report is None:
        raise Http404(_("No such report."))
    return report


def report_detail(request, report_id: int):
    report = public_report_or_404(report_id)
    language = _language()
    return render(request, "mapping/report_detail.html", {
        "report": report,
        "category_name": report.category.display_name(language),
        "government_name": report.local_government.display_name(language),
        "address": report_address_en(report) if language.startswith("en") else report.address,
        "answers": _answer_rows(report, language),
        "timeline": report_public_timeline(report=report),
        "photos": list(report.photos.all()),
        "support_form": SupportForm(),
        "comments": comment_list_public(report=report),
        "comment_form": CommentForm(),
        "reopen_form": ReopenForm(),
        "can_reopen": (
            request.user.is_authenticated and report.reporter_id == request.user.pk and report.status == Status.CLOSED
        ),
    })


@require_POST
def report_support_view(request, report_id: int):
    report = public_report_or_404(report_id)
    form = SupportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid email address."))
    elif not request.user.is_authenticated and rate_limited(request, scope="support", email=form.cleaned_data["email"]):
        messages.error(request, _("Too many supports from this address or email. Try again later."))
    else:
        try:
            added = report_support(
                report=report,
                user=request.user if request.user.is_authenticated else None,
                email=form.cleaned_data["email"] if not request.user.is_authenticated else "",
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            if added and not request.user.is_authenticated:
                messages.success(request, _("Thank you. Check your email: your support is counted once you open the link we sent."))
            elif added and not account_email_confirmed(user=request.user):
                messages.success(request, _("Thank you. Your support is counted once you confirm your email address."))
            elif added:
                messages.success(request, _("Thank you: your support is counted."))
            else:
                messages.info(request, _("You already support this report."))
    return redirect(reverse("mapping:report-detail", args=[report.pk]) + "#support")


def support_confirm_view(request, token: str):
    try:
        support = support_confirm_link(token=token)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    messages.success(request, _("Thank you: your support is confirmed and counted."))
    return redirect(reverse("mapping:report-detail", args=[support.report_id]) + "#support")


@require_POST
def report_reopen_view(request, report_id: int):
    report = public_report_or_404(report_id)
    if not request.user.is_authenticated or report.reporter_id != request.user.pk:
        return HttpResponseForbidden(_("Only the reporter can reopen this report."))
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the report should be reopened."))
    else:
        try:
            report_reopen(report=report, actor=request.user, reason=form.cleaned_data["reason"], by_reporter=True)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The report is open again."))
    return redirect("mapping:report-detail", report.pk)


# --- local governments ------------------------------------------------------------------------


def area_index(request):
    language = _language()
    provinces: dict[str, dict] = {}
    for area in local_government_list():
        province = provinces.setdefault(area.code[:2], {"name": "", "governments": []})
        if area.level == "province":
            province["name"] = area.display_name(language)
            province["area"] = area
        else:
            province["governments"].append(area)
    return render(request, "mapping/area_index.html", {"provinces": list(provinces.values())})


def area_detail(request, code: str):
    area = area_get(code=code)
    if area is None and (today := area_code_today(code=code)):
        return redirect("mapping:area-detail", code=today, permanent=True)  # its code changed
    if area is None or not area.is_local_government:
        raise Http404(_("No local government with this code."))
    reports = report_list(filters=ReportFilters(local_government=area.code))
    counts = report_counts(reports=reports)
    language = _language()
    english = language.startswith("en")
    listed = reports.select_related("category", *(ADDRESS_EN_RELATED if english else ())).order_by("-created_at", "-id")
    page = Paginator(listed, 25).get_page(request.GET.get("page"))
    if english:
        for report in page:
            report.address = report_address_en(report)
    return render(request, "mapping/area_detail.html", {
        "area": area,
        "area_name": area.display_name(language),
        "counts": counts,
        "page": page,
        "obligations": _government_obligations(area),
    })


def _government_obligations(area) -> list[dict]:
    """Its proposals' open duties to answer, counting down or overdue (issue 17)."""
    now = timezone.now()
    return [obligation_status(obligation=o, now=now) for o in government_obligations(government=area, now=now)]
