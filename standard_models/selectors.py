"""Reads of standard models: the catalogue, a model's page, the evidence tier, a readable diff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from geodata.models import Area
from standard_models.models import Adoption, EvidenceTier, ModelStatus, ModelVersion, StandardModel

MEASURED_DAYS = 90  # the origin's (or an adopter's) figures must cover this many days before and after
REPLICATED_ADOPTERS = 3


def model_catalogue(*, theme: str = "", region: str = "", query: str = "") -> QuerySet[StandardModel]:
    """Published models, filtered by theme, by region (a province's code: its own models and its
    municipalities', or a government's code) and by words of the title or summary."""
    models = (StandardModel.objects.filter(status=ModelStatus.PUBLISHED).select_related("origin_government")
              .annotate(adopters=Count("adoptions", distinct=True)))
    if theme:
        models = models.filter(theme=theme)
    if region:
        models = models.filter(Q(origin_government__code=region) | Q(origin_government__parent__code=region)
                               | Q(adoptions__government__code=region) | Q(adoptions__government__parent__code=region)).distinct()
    if query:
        models = models.filter(Q(title__icontains=query) | Q(summary__icontains=query) | Q(slug__icontains=query))
    return models.order_by("is_example", "title", "slug")  # examples after real practice


def model_get(*, slug: str, public: bool = True) -> StandardModel | None:
    models = StandardModel.objects.select_related("origin_government")
    if public:
        models = models.filter(status=ModelStatus.PUBLISHED)
    return models.filter(slug=slug).first()


def model_latest_version(*, model: StandardModel) -> ModelVersion | None:
    return model.versions.filter(published_at__isnull=False).order_by("-number").first()


def model_version_get(*, model: StandardModel, number: int) -> ModelVersion | None:
    return model.versions.filter(number=number, published_at__isnull=False).first()


def model_adoptions(*, model: StandardModel) -> QuerySet[Adoption]:
    return (model.adoptions.select_related("government", "version", "campaign")
            .prefetch_related("adopted_categories__category").order_by("created_at", "id"))


def adoption_for(*, model: StandardModel, government_ids) -> list[Adoption]:
    return list(model_adoptions(model=model).filter(government_id__in=list(government_ids)))


def models_pending() -> QuerySet[StandardModel]:
    return StandardModel.objects.filter(status=ModelStatus.PENDING).select_related("origin_government")


# --- evidence ------------------------------------------------------------------------------------


def _covered(*, government_id: int, start: date) -> bool:
    """The government's counted reports span MEASURED_DAYS before and after `start` (and that
    many days have passed)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT min(created_at), max(created_at) FROM reports_report WHERE local_government_id = %s AND is_public AND NOT is_sample",
            [government_id],
        )
        first, last = cursor.fetchone()
    if first is None:
        return False
    start_at = timezone.make_aware(datetime.combine(start, datetime.min.time()))
    span = timedelta(days=MEASURED_DAYS)
    return first <= start_at - span and last >= start_at + span


def _origin_start(model: StandardModel, version: ModelVersion | None) -> date | None:
    if version is None:
        return None
    started = version.document["identity"].get("started_on")
    return date.fromisoformat(started) if started else None


def model_evidence_tier(*, model: StandardModel) -> str:
    """Computed, never claimed: replicated (3 or more adopters with measured results), measured
    (the origin's figures cover 90 days before and after its start), else documented."""
    measured_adopters = sum(
        1 for adoption in model.adoptions.all() if _covered(government_id=adoption.government_id, start=adoption.starts_on)
    )
    if measured_adopters >= REPLICATED_ADOPTERS:
        return EvidenceTier.REPLICATED
    start = _origin_start(model, model_latest_version(model=model))
    if start is not None and _covered(government_id=model.origin_government_id, start=start):
        return EvidenceTier.MEASURED
    return EvidenceTier.DOCUMENTED


# --- the map of origin and adopters --------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    lon: float
    lat: float
    role: str  # origin, adopter
    version: int


def model_places(*, model: StandardModel) -> list[Place]:
    """A point on the surface of the origin and of each adopter, for the page's map."""
    rows = [(model.origin_government_id, "origin", model_latest_version(model=model))]
    rows += [(a.government_id, "adopter", a.version) for a in model.adoptions.select_related("version")]
    ids = [government_id for government_id, _role, _version in rows]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, code, name, ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom)) FROM geodata_area WHERE id = ANY(%s)",
            [ids],
        )
        points = {row[0]: row[1:] for row in cursor.fetchall()}
    places = []
    for government_id, role, version in rows:
        if government_id in points:
            code, name, lon, lat = points[government_id]
            places.append(Place(code, name, lon, lat, role, version.number if version else 0))
    return places


# --- a readable diff between two versions --------------------------------------------------------


def _label(item: dict) -> str:
    return item.get("label") or item.get("name") or item.get("key") or item.get("code") or ""


def _diff_items(part: str, old: list[dict], new: list[dict], key: str) -> list[dict]:
    changes = []
    old_by, new_by = {i[key]: i for i in old}, {i[key]: i for i in new}
    for k, item in new_by.items():
        if k not in old_by:
            changes.append({"part": part, "key": k, "change": "added", "text": _("%(part)s: added %(label)s") % {"part": part, "label": _label(item)}})
        elif item != old_by[k]:
            attrs = sorted(a for a in set(item) | set(old_by[k]) if item.get(a) != old_by[k].get(a))
            locked = bool(item.get("locked") or old_by[k].get("locked"))
            text = _("%(part)s: %(label)s changed (%(attrs)s)") % {"part": part, "label": _label(item), "attrs": ", ".join(attrs)}
            if locked:
                text += " · " + _("locked: adopters take this change")
            changes.append({"part": part, "key": k, "change": "changed", "text": text, "locked": locked})
    for k, item in old_by.items():
        if k not in new_by:
            changes.append({"part": part, "key": k, "change": "removed", "text": _("%(part)s: removed %(label)s") % {"part": part, "label": _label(item)}})
    if [i[key] for i in old if i[key] in new_by] != [i[key] for i in new if i[key] in old_by]:
        changes.append({"part": part, "key": "", "change": "reordered", "text": _("%(part)s: new order") % {"part": part}})
    return changes


def model_version_diff(*, old: ModelVersion, new: ModelVersion) -> list[dict]:
    """What changed from one version to another, line by line in people's words."""
    a, b = old.document, new.document
    changes = []
    campaign_a, campaign_b = a["campaign"] or {}, b["campaign"] or {}
    changes += _diff_items(_("Form field"), campaign_a.get("fields", []), campaign_b.get("fields", []), "key")
    changes += _diff_items(_("Map style"), campaign_a.get("entry_types", []), campaign_b.get("entry_types", []), "key")
    changes += _diff_items(_("Category"), a["taxonomy"]["categories"], b["taxonomy"]["categories"], "code")
    changes += _diff_items(_("Workflow"), a["workflow"], b["workflow"], "category")
    phases = [{**p, "key": p["name"]} for p in a["playbook"]["phases"]], [{**p, "key": p["name"]} for p in b["playbook"]["phases"]]
    changes += _diff_items(_("Playbook phase"), phases[0], phases[1], "key")
    for part in ("participation", "eligibility", "coverage_unit", "duration_days", "settings", "roles"):
        if campaign_a.get(part) != campaign_b.get(part):
            changes.append({"part": _("Campaign"), "key": part, "change": "changed", "text": _("Campaign: %(part)s changed") % {"part": part}})
    for part in ("indicators", "evidence", "photos"):
        if a[part] != b[part]:
            changes.append({"part": part, "key": part, "change": "changed", "text": _("%(part)s changed") % {"part": part.capitalize()}})
    return changes


def model_regions() -> QuerySet[Area]:
    """The provinces, for the catalogue's region filter."""
    return Area.objects.current().filter(level="province").order_by("code")


def model_publishable(*, governments) -> tuple[QuerySet, QuerySet]:
    """What staff of these governments may publish: their campaigns and their own categories."""
    from campaigns.models import Campaign
    from reports.models import Category

    ids = [g.pk for g in governments]
    return (Campaign.objects.filter(organiser_government_id__in=ids).select_related("organiser_government").order_by("-starts_at"),
            Category.objects.filter(local_government_id__in=ids, is_active=True).order_by("local_government_id", "order", "code"))
