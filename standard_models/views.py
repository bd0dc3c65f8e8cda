"""The model pages: the catalogue (/models/) and a model's page (/models/<slug>/) with its evidence,
map, lineage graph and, for staff, adoption and updates in one step."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.korean import with_particle_in_language as josa
from scorecards.indicators import BY_KEY, REASONS
from scorecards.services import WINDOW_KEYS
from staff.selectors import staff_governments
from standard_models.documents import COUNT_INDICATORS
from standard_models.forms import AdoptForm, CatalogueSearchForm, PublishForm
from standard_models.models import ModelStatus, StandardModel
from standard_models.selectors import (
    adoption_figures,
    adoption_for,
    indicator_has_data,
    model_adoptions,
    model_catalogue,
    model_evidence_tier,
    model_get,
    model_latest_version,
    model_places,
    model_publishable,
    model_regions,
    model_version_diff,
    origin_scope,
)
from standard_models.services import (
    adoption_update,
    can_moderate_models,
    model_adopt,
    model_approve,
    model_publish,
)


def model_index(request):
    form = CatalogueSearchForm(request.GET or None, regions=model_regions())
    filters = form.cleaned_data if form.is_valid() else {}
    models = list(model_catalogue(theme=filters.get("theme", ""), region=filters.get("region", ""), query=filters.get("q", "")))
    for model in models:
        model.tier = model_evidence_tier(model=model)
    return render(request, "standard_models/index.html", {"form": form, "models": models})


def _visible_model(request, slug: str) -> StandardModel:
    """Published models for all; a pending one for moderators and its publisher."""
    model = model_get(slug=slug)
    if model is None:
        model = model_get(slug=slug, public=False)
        publisher = model is not None and request.user.is_authenticated and model.created_by_id == request.user.pk
        if model is None or not (publisher or can_moderate_models(request.user)):
            raise Http404(_("No such model."))
    return model


def _adoptable_governments(request, model: StandardModel) -> list:
    if not request.user.is_authenticated:
        return []
    taken = set(model.adoptions.values_list("government_id", flat=True)) | {model.origin_government_id}
    return [area for area in staff_governments(user=request.user) if area.pk not in taken]


def lineage_svg(*, model: StandardModel, versions: list, adoptions: list) -> str:
    """The lineage as an SVG drawn here: the origin and its versions on the left, each adopter on
    the right, joined to the version it runs, with what it changed."""
    row, top = 64, 44
    height = top + row * max(len(versions), len(adoptions), 1) + 20
    y_version = {v.number: top + row * i for i, v in enumerate(versions)}
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="lineage" viewBox="0 0 760 {height}" role="img" '
             f'aria-labelledby="lineage-title"><title id="lineage-title">{escape(_("Lineage of %(title)s") % {"title": model.title})}</title>',
             f'<text x="20" y="20" class="lineage-head">{escape(model.origin_government.name)} · {escape(_("versions"))}</text>',
             f'<text x="420" y="20" class="lineage-head">{escape(_("Adopters"))}</text>']
    for i, version in enumerate(versions):
        y = y_version[version.number]
        if i:
            parts.append(f'<line x1="40" y1="{y - row + 14}" x2="40" y2="{y - 14}" class="lineage-edge"/>')
        parts.append(f'<circle cx="40" cy="{y}" r="14" class="lineage-version"/><text x="40" y="{y + 5}" text-anchor="middle" '
                     f'class="lineage-number">v{version.number}</text>'
                     f'<text x="40" y="{y + 28}" text-anchor="middle" class="lineage-changes">'
                     f'{escape(version.published_at.date().isoformat() if version.published_at else "")}</text>')
    for i, adoption in enumerate(adoptions):
        y = top + row * i
        source = y_version.get(adoption.version.number, top)
        changes = adoption.changes or {}
        summary = [f"+{key}" for key in changes.get("added_fields", [])] + [f"~{key}" for key in changes.get("changed_fields", {})]
        updates = " ".join(f"v{h['from']}→v{h['to']}" for h in adoption.history)
        parts.append(f'<path d="M54 {source} C 240 {source}, 240 {y}, 404 {y}" class="lineage-edge" fill="none"/>'
                     f'<circle cx="410" cy="{y}" r="7" class="lineage-adopter"/>'
                     f'<a href="#adopter-{escape(adoption.government.code)}"><text x="424" y="{y - 4}" class="lineage-name" '
                     f'data-government="{escape(adoption.government.code)}">'
                     f'{escape(adoption.government.name)} · v{adoption.version.number} · {escape(adoption.starts_on.isoformat())}</text></a>'
                     f'<text x="424" y="{y + 14}" class="lineage-changes">{escape(" ".join(summary) or _("no changes"))} {escape(updates)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped


def _figure(key: str, figure: dict) -> dict:
    """One figure as the page shows it: its text, n, and why it is missing."""
    value, kind = figure.get("value"), BY_KEY[key].kind
    if value is None:
        text = "–"
    elif kind == "proportion":
        text = f"{value * 100:.0f} %"
    elif kind == "days":
        text = _("%(days).1f days") % {"days": value}
    else:
        text = str(value)
    return {"text": text, "n": figure.get("n"), "reason": str(REASONS.get(figure.get("reason", ""), ""))}


def adopter_rows(adoptions: list) -> list[dict]:
    """Each adopter's scorecard figures before → after its start, for the lineage."""
    rows = []
    for adoption in adoptions:
        figures = adoption_figures(adoption=adoption)
        rows.append({
            "adoption": adoption, "before": figures["before"], "after": figures["after"],
            "figures": [{"key": key, "label": BY_KEY[key].label, "before": _figure(key, figures["before"]["indicators"][key]),
                         "after": _figure(key, figures["after"]["indicators"][key])} for key in WINDOW_KEYS],
        })
    return rows


def _indicator_label(key: str) -> str:
    if key.startswith("scorecard:"):
        return str(BY_KEY[key.split(":", 1)[1]].label)
    return str(COUNT_INDICATORS.get(key, key))


def evidence_checks(model: StandardModel, latest) -> list[dict]:
    """The origin's declared indicators, each with whether it has data before and after its start."""
    scope = origin_scope(model=model, version=latest)
    checks = []
    for indicator in latest.document["indicators"] if latest else []:
        checks.append({
            "indicator": indicator, "label": _indicator_label(indicator["key"]),
            **({side: indicator_has_data(indicator=indicator, scope=scope, side=side) for side in ("before", "after")}
               if scope is not None else {"before": False, "after": False}),
        })
    return checks


def model_detail(request, slug: str):
    model = _visible_model(request, slug)
    versions = list(model.versions.filter(published_at__isnull=False).order_by("number"))
    latest = model_latest_version(model=model) or model.versions.order_by("-number").first()
    document = latest.document
    adoptions = list(model_adoptions(model=model))
    governments = _adoptable_governments(request, model)
    mine = adoption_for(model=model, government_ids=[g.pk for g in staff_governments(user=request.user)]) if request.user.is_authenticated else []
    updates = [{"adoption": a, "diff": model_version_diff(old=a.version, new=latest)} for a in mine if a.version.number < latest.number]
    places = [{"code": p.code, "name": p.name, "lon": p.lon, "lat": p.lat, "role": p.role, "version": p.version} for p in model_places(model=model)]
    return render(request, "standard_models/detail.html", {
        "model": model, "document": document, "latest": latest, "versions": versions, "adoptions": adoptions,
        "tier": model_evidence_tier(model=model), "places": places, "lineage": lineage_svg(model=model, versions=versions, adoptions=adoptions),
        "adopt_form": AdoptForm(governments=governments) if governments and model.status == ModelStatus.PUBLISHED else None,
        "updates": updates, "can_approve": model.status == ModelStatus.PENDING and can_moderate_models(request.user),
        "adopter_rows": adopter_rows(adoptions), "evidence_checks": evidence_checks(model, latest),
    })


@login_required
@require_POST
def model_adopt_view(request, slug: str):
    model = _visible_model(request, slug)
    form = AdoptForm(request.POST, governments=_adoptable_governments(request, model))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("standard_models:detail", slug=model.slug)
    government = next(g for g in _adoptable_governments(request, model) if g.code == form.cleaned_data["government"])
    try:
        adoption = model_adopt(model=model, government=government, starts_on=form.cleaned_data["start"], actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("standard_models:detail", slug=model.slug)
    messages.success(request, _("%(government)s adopted %(title)s: its campaign and categories are ready.")
                     % {"government": government.name, "title": josa(model.title, "을")})
    return redirect("campaigns:detail", slug=adoption.campaign.slug)


@login_required
@require_POST
def model_update_view(request, slug: str, adoption_id: int):
    model = _visible_model(request, slug)
    adoption = next((a for a in adoption_for(model=model, government_ids=[g.pk for g in staff_governments(user=request.user)])
                     if a.pk == adoption_id), None)
    if adoption is None:
        raise Http404(_("No such adoption."))
    try:
        adoption = adoption_update(adoption=adoption, version=model_latest_version(model=model), actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(government)s now runs version %(n)d; its own changes were kept.")
                         % {"government": josa(adoption.government.name, "은"), "n": adoption.version.number})
    return redirect("standard_models:detail", slug=model.slug)


@login_required
@require_POST
def model_approve_view(request, slug: str):
    model = _visible_model(request, slug)
    try:
        model_approve(actor=request.user, model=model)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The model is published."))
    return redirect("standard_models:detail", slug=model.slug)


@login_required
def model_publish_view(request):
    """Staff publish a campaign of their government, or its categories and workflow, as a model
    (or the next version of theirs)."""
    governments = list(staff_governments(user=request.user))
    if not governments:
        return render(request, "standard_models/publish.html", {"forbidden": True}, status=403)
    campaigns, categories = model_publishable(governments=governments)
    form = PublishForm(request.POST or None, governments=governments, campaigns=campaigns, categories=categories)
    error_code = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        government = next(g for g in governments if g.code == data["government"])
        campaign = next((c for c in campaigns if c.slug == data["campaign"]), None)
        chosen = [c for c in categories if c.code in set(data["categories"])]
        locked = {key.strip() for key in data["locked"].split(",") if key.strip()}
        details = {
            "identity": {"title": data["title"], "summary": data["summary"], "theme": data["theme"], "licence": data["licence"]},
            "fields": {key: {"locked": True} for key in locked},
            "playbook": {"phases": data["phases"]},
            "evidence": {"text": data["evidence"]},
        }
        if campaign is None:
            details["campaign"] = None  # categories and workflow alone
        try:
            version = model_publish(actor=request.user, government=government, slug=data["slug"], campaign=campaign,
                                    categories=chosen, details=details)
        except DomainError as exc:
            error_code = str(exc.code)
            form.add_error(None, exc.message)
            for path, messages_ in exc.fields.items():
                for message in messages_:
                    form.add_error(None, f"{path}: {message}")
        else:
            messages.success(request, _("Version %(n)d of %(title)s is saved.") % {"n": version.number, "title": version.model.title}
                             + (" " + _("A moderator approves its first publication.") if not version.is_published else ""))
            return redirect("standard_models:detail", slug=version.model.slug)
    return render(request, "standard_models/publish.html", {"form": form, "error_code": error_code}, status=400 if error_code or form.errors else 200)
