"""Residents' poll pages (phone-first), the residence page, and the staff pages of polls and residents."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from geodata.models import Area, Level
from geodata.selectors import area_get, local_government_get, place_search, route_point
from polls.forms import CodesForm, IdentityForm, InvitationCodeForm, PollForm, ResidenceForm, RollForm
from polls.selectors import (
    poll_choice_points,
    poll_get,
    poll_has_voted,
    poll_list,
    poll_results_by_area,
    poll_results_geojson,
    poll_results_visible,
    poll_status,
    poll_tally,
    poll_voter_count,
)
from polls.services import (
    invitation_codes_issue_by_staff,
    poll_create,
    poll_publish_if_due,
    poll_vote,
    residence_roll_upload,
)
from residency.eligibility import eligibility_check, eligibility_describe
from residency.identity import TestIdentityAdapter, identity_adapter
from residency.selectors import identity_di_hash, residence_get, residence_verified_government_ids
from residency.services import identity_verify, invitation_code_redeem, residence_declare
from staff.selectors import staff_governments


def _poll(poll_id: int):
    try:
        return poll_get(poll_id=poll_id)
    except DomainError as exc:
        raise Http404(exc.message) from exc


def poll_index(request):
    now = timezone.now()
    polls = [(poll, poll_status(poll=poll, now=now)) for poll in poll_list(now=now)]
    return render(request, "polls/index.html", {"polls": polls})


def _detail_context(request, poll, now) -> dict:
    status = poll_status(poll=poll, now=now)
    can_vote, why_not = False, ""
    if status == "open":
        try:
            eligibility_check(eligibility=poll.eligibility(), user=request.user)
            can_vote = True
        except DomainError as exc:
            why_not = exc.message
    context = {
        "poll": poll, "status": status, "choices": list(poll.choices.all()), "can_vote": can_vote, "why_not": why_not,
        "voted": request.user.is_authenticated and poll_has_voted(poll=poll, user=request.user),
        "eligibility": eligibility_describe(eligibility=poll.eligibility(), areas=list(poll.areas.all())),
        "voters": poll_voter_count(poll=poll), "choice_points": poll_choice_points(poll=poll),
        "results_visible": poll_results_visible(poll=poll, now=now),
    }
    if context["results_visible"]:
        tally = poll_tally(poll=poll)
        by_area = poll_results_by_area(poll=poll)
        context.update({
            "tally": [(choice, tally.get(choice.number, 0)) for choice in context["choices"]],
            "by_area": by_area, "results_geojson": poll_results_geojson(results=by_area),
        })
    return context


def poll_detail(request, poll_id: int):
    now = timezone.now()
    poll = _poll(poll_id)
    if poll.log_published_at is None and poll.is_closed(now):
        poll_publish_if_due(poll=poll, now=now)
        poll = _poll(poll_id)
    receipt, error, status = None, None, 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            # The receipt is shown in this response only: keeping it (session, messages) would link the person to it.
            receipt = poll_vote(poll=poll, user=request.user, choices=request.POST.getlist("choices"), change=request.POST.get("change") == "1", now=now)
        except DomainError as exc:
            error, status = exc, exc.http_status
    context = _detail_context(request, poll, now)
    context.update({"receipt": receipt, "error": error})
    return render(request, "polls/detail.html", context, status=status)


def poll_verify(request, poll_id: int):
    now = timezone.now()
    poll = _poll(poll_id)
    if poll.log_published_at is None and poll.is_closed(now):
        poll = poll_publish_if_due(poll=poll, now=now)
        poll = _poll(poll_id)
    return render(request, "polls/verify.html", {"poll": poll, "status": poll_status(poll=poll, now=now), "choices": list(poll.choices.all())})


def choice_image(request, poll_id: int, number: int):
    poll = _poll(poll_id)
    choice = next((c for c in poll.choices.all() if c.number == number and c.image), None)
    if choice is None:
        raise Http404
    return FileResponse(choice.image.open("rb"), content_type="image/jpeg" if choice.image.name.endswith(".jpg") else None)


# --- where I live ----------------------------------------------------------------------------------


def _residence_context(request, **extra) -> dict:
    user = request.user
    residence = residence_get(user=user)
    verified_ids = residence_verified_government_ids(user=user)
    return {
        "residence": residence,
        "verified_governments": Area.objects.filter(pk__in=verified_ids).order_by("code"),
        "identity_verified": bool(identity_di_hash(user=user)),
        "test_identity": isinstance(_adapter_or_none(), TestIdentityAdapter),
        "residence_form": ResidenceForm(), "code_form": InvitationCodeForm(), "identity_form": IdentityForm(),
        "next": request.GET.get("next") or request.POST.get("next") or "",
        **extra,
    }


def _adapter_or_none():
    try:
        return identity_adapter()
    except DomainError:
        return None


def _declared_area(form: ResidenceForm) -> tuple[Area | None, list[dict]]:
    data = form.cleaned_data
    if data.get("code"):
        found = area_get(code=data["code"])
        return (found if found and found.level == Level.SUBMUNICIPAL else None), []
    if data.get("lon") is not None and data.get("lat") is not None:
        route = route_point(lon=data["lon"], lat=data["lat"])
        return (Area.objects.filter(pk=route.submunicipal_unit.id).first() if route and route.submunicipal_unit else None), []
    places = [p for p in place_search(query=data.get("query") or "", limit=20) if p["kind"] == "submunicipal"]
    if len(places) == 1:
        return area_get(code=places[0]["code"]), []
    return None, places


@login_required
def residence(request):
    if request.method != "POST":
        return render(request, "polls/residence.html", _residence_context(request))
    action = request.POST.get("action")
    status, extra = 400, {}
    try:
        if action == "declare":
            form = ResidenceForm(request.POST)
            area, candidates = _declared_area(form) if form.is_valid() else (None, [])
            if area is None:
                extra = {"candidates": candidates, "residence_form": form,
                         "declare_error": _("Choose your 읍면동 among these.") if candidates else _("No 읍면동 found: type its name (e.g. 청운효자동) or tap the map.")}
                return render(request, "polls/residence.html", {**_residence_context(request), **extra}, status=400 if not candidates else 200)
            residence_declare(user=request.user, area=area)
            messages.success(request, _("You live in %(area)s.") % {"area": f"{area.local_government.name if area.local_government_id else ''} {area.name}".strip()})
        elif action == "code":
            form = InvitationCodeForm(request.POST)
            if not form.is_valid():
                return render(request, "polls/residence.html", {**_residence_context(request), "code_form": form}, status=400)
            invitation_code_redeem(user=request.user, code=form.cleaned_data["code"])
            messages.success(request, _("Your local government has verified that you live there."))
        elif action == "identity":
            form = IdentityForm(request.POST)
            if not form.is_valid():
                return render(request, "polls/residence.html", {**_residence_context(request), "identity_form": form}, status=400)
            identity_verify(user=request.user, payload={"di": form.cleaned_data["di"]})
            messages.success(request, _("Your identity is verified."))
        else:
            return render(request, "polls/residence.html", _residence_context(request, action_error=_("Unknown action.")), status=400)
    except DomainError as exc:
        status = exc.http_status
        return render(request, "polls/residence.html", _residence_context(request, **{f"{action}_error": exc.message}), status=status)
    target = request.POST.get("next") or ""
    return redirect(target if target.startswith("/polls/") else reverse("polls:residence"))


# --- staff -----------------------------------------------------------------------------------------


def _staff_government(request, code: str) -> Area:
    government = local_government_get(code=code)
    if government is None or not staff_governments(user=request.user).filter(pk=government.pk).exists():
        raise Http404
    return government


@login_required
def manage(request):
    governments = list(staff_governments(user=request.user).order_by("code")[:50])
    if not governments:
        return render(request, "polls/manage_none.html", status=403)
    polls = poll_list().filter(local_government__in=governments)
    return render(request, "polls/manage.html", {"governments": governments, "polls": polls})


def _choice_rows(request) -> list[dict]:
    rows = []
    for n in range(1, 7):
        label = request.POST.get(f"choice_{n}", "").strip()
        if label:
            rows.append({"label": label, "image": request.FILES.get(f"choice_{n}_image"),
                         "lon": request.POST.get(f"choice_{n}_lon"), "lat": request.POST.get(f"choice_{n}_lat")})
    return rows


def _areas(text: str, government: Area) -> tuple[list[Area], list[str]]:
    areas, unknown = [], []
    for part in [p.strip() for p in (text or "").split(",") if p.strip()]:
        found = area_get(code=part)
        if found is None:
            matches = list(Area.objects.current().filter(name=part).filter(Q(local_government=government) | Q(pk=government.pk)))
            found = matches[0] if len(matches) == 1 else None
        if found is None:
            unknown.append(part)
        else:
            areas.append(found)
    return areas, unknown


@login_required
def poll_new(request, code: str):
    government = _staff_government(request, code)
    form = PollForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            areas, unknown = _areas(form.cleaned_data["areas"], government)
            if unknown:
                form.add_error("areas", _("Unknown areas: %(areas)s") % {"areas": ", ".join(unknown)})
            else:
                try:
                    poll = poll_create(
                        actor=request.user, government=government, question=form.cleaned_data["question"],
                        description=form.cleaned_data["description"], choices=_choice_rows(request),
                        opens_at=form.cleaned_data["opens_at"], closes_at=form.cleaned_data["closes_at"],
                        eligibility_rule=form.cleaned_data["eligibility_rule"], areas=areas,
                        multiple=form.cleaned_data["multiple"], interim_results=form.cleaned_data["interim_results"],
                    )
                    messages.success(request, _("The poll is created."))
                    return redirect("polls:detail", poll.pk)
                except DomainError as exc:
                    for field, errors in exc.fields.items():
                        form.add_error(field if field in form.fields else None, errors)
                    if not exc.fields:
                        form.add_error(None, exc.message)
    return render(request, "polls/poll_new.html", {"government": government, "form": form, "choice_numbers": range(1, 7), "post": request.POST}, status=status)


@login_required
def residents(request, code: str):
    government = _staff_government(request, code)
    return render(request, "polls/residents.html", {"government": government, "roll_form": RollForm(), "codes_form": CodesForm()})


@login_required
@require_POST
def residents_roll(request, code: str):
    government = _staff_government(request, code)
    form = RollForm(request.POST, request.FILES)
    context = {"government": government, "roll_form": form, "codes_form": CodesForm()}
    if not form.is_valid():
        return render(request, "polls/residents.html", context, status=400)
    try:
        count = residence_roll_upload(actor=request.user, government=government, content=form.cleaned_data["roll"].read())
    except DomainError as exc:
        return render(request, "polls/residents.html", {**context, "roll_error": exc.message}, status=exc.http_status)
    messages.success(request, _("The residents' roll has %(count)d addresses; it replaces the previous one.") % {"count": count})
    return redirect("polls:residents", government.code)


@login_required
@require_POST
def residents_codes(request, code: str):
    government = _staff_government(request, code)
    form = CodesForm(request.POST)
    context = {"government": government, "roll_form": RollForm(), "codes_form": form}
    if not form.is_valid():
        return render(request, "polls/residents.html", context, status=400)
    try:
        codes = invitation_codes_issue_by_staff(actor=request.user, government=government, count=form.cleaned_data["count"])
    except DomainError as exc:
        return render(request, "polls/residents.html", {**context, "codes_error": exc.message}, status=exc.http_status)
    # Shown once: only their hashes are kept.
    return render(request, "polls/residents.html", {**context, "codes": codes})
