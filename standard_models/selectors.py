"""Reads of standard models: the catalogue, a model's page, the evidence tier, a readable diff."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Entry, EntryStatus
from geodata.models import Area
from reports.models import Category, Report
from scorecards.services import WINDOW_KEYS, scorecard_window
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


# --- evidence: the figures around a start date, and the tier ------------------------------------

# What "has data in a window" means for each kind of declared indicator (the README and the
# model's page say the same):
# - scorecard:<key> of scorecards.services.WINDOW_KEYS: the scorecards' own figure over the window
#   has a value (a count: at least one report; a time or share: SCORECARD_MIN_WINDOW_REPORTS reports
#   and a value reached). Other scorecard indicators are not computed over a window: they neither
#   make nor break the tier.
# - reports_by_category, reports_by_category_and_status: before the start, the government received
#   counted reports in the window (reporting was live there, so the category's count, zero for a
#   category it did not have yet, is a measurement); after, at least one counted report of the
#   indicator's category (every model category when none is named) in the window.
# - entries_by_type, entries_validated: before, as the report counts (the campaign had not started:
#   zero entries is its baseline); after, at least one visible (validated) entry of the campaign.
WINDOW_KINDS = ("reports_by_category", "reports_by_category_and_status", "entries_by_type", "entries_validated")


@dataclass
class Scope:
    """Where and from when a model runs: the origin, or one adopter."""

    government_id: int
    start: date
    categories: dict[str, list[int]]  # the model's category code -> this government's category ids
    campaign_id: int | None
    now: datetime | None = None  # the moment of observation (default: now)
    _figures: dict = field(default_factory=dict)

    def window(self, side: str) -> tuple[datetime, datetime]:
        start_at = timezone.make_aware(datetime.combine(self.start, datetime.min.time()))
        span = timedelta(days=MEASURED_DAYS)
        return (start_at - span, start_at) if side == "before" else (start_at, start_at + span)

    def figures(self, side: str) -> dict:
        """The scorecards' figures over the window, computed once."""
        if side not in self._figures:
            begin, end = self.window(side)
            self._figures[side] = scorecard_window(government_id=self.government_id, start=begin, end=end, now=self.now)
        return self._figures[side]


def origin_scope(*, model: StandardModel, version: ModelVersion | None) -> Scope | None:
    """The origin's scope: its start date (identity.started_on), categories and campaign."""
    start = _origin_start(model, version)
    if start is None:
        return None
    codes = [c["code"] for c in version.document["taxonomy"]["categories"]]
    categories: dict[str, list[int]] = {code: [] for code in codes}
    for pk, code in Category.objects.filter(local_government_id=model.origin_government_id, code__in=codes).values_list("id", "code"):
        categories[code].append(pk)
    campaign_id = (model.versions.filter(source_campaign__isnull=False).order_by("-number")
                   .values_list("source_campaign_id", flat=True).first())
    return Scope(model.origin_government_id, start, categories, campaign_id)


def _adoption_scope(adoption: Adoption) -> Scope:
    categories: dict[str, list[int]] = {}
    for adopted in adoption.adopted_categories.all():
        categories.setdefault(adopted.model_code, []).append(adopted.category_id)
    return Scope(adoption.government_id, adoption.starts_on, categories, adoption.campaign_id)


def _reports_in(scope: Scope, side: str, category_ids: list[int] | None) -> bool:
    begin, end = scope.window(side)
    end = min(end, scope.now) if scope.now else end
    reports = Report.objects.public().counted().filter(local_government_id=scope.government_id, created_at__gte=begin, created_at__lt=end)
    if category_ids is not None:
        reports = reports.filter(category_id__in=category_ids)
    return reports.exists()


def indicator_has_data(*, indicator: dict, scope: Scope, side: str) -> bool | None:
    """Whether a declared indicator has data in the window before or after the scope's start; None
    for an indicator not computed over a window (it does not count towards the tier)."""
    key = indicator["key"]
    if key.startswith("scorecard:"):
        name = key.split(":", 1)[1]
        if name not in WINDOW_KEYS:
            return None
        figure = scope.figures(side)["indicators"][name]
        return bool(figure["value"]) if name == "reports_received" else figure["value"] is not None
    if key not in WINDOW_KINDS:
        return None
    if side == "before":  # the baseline: the practice had not started, reporting was live
        return _reports_in(scope, side, None)
    if key.startswith("reports_"):
        codes = [indicator["category"]] if indicator.get("category") else list(scope.categories)
        ids = [pk for code in codes for pk in scope.categories.get(code, [])]
        return bool(ids) and _reports_in(scope, side, ids)
    if scope.campaign_id is None:
        return False
    begin, end = scope.window(side)
    end = min(end, scope.now) if scope.now else end
    entries = Entry.objects.filter(campaign_id=scope.campaign_id, is_hidden=False, created_at__gte=begin, created_at__lt=end)
    if key == "entries_validated":
        entries = entries.filter(status=EntryStatus.VALIDATED)
    return entries.exists()


def scope_measured(*, indicators: list[dict], scope: Scope | None, today: date | None = None) -> bool:
    """MEASURED_DAYS have passed since the start, at least one declared indicator is computed over a
    window, and every such indicator has data in the windows before and after the start."""
    if scope is None:
        return False
    if today is not None:  # as seen at the end of that day
        scope.now = timezone.make_aware(datetime.combine(today + timedelta(days=1), datetime.min.time()))
    if ((today or timezone.localdate()) - scope.start).days < MEASURED_DAYS:
        return False
    checked = [indicator_has_data(indicator=i, scope=scope, side=side) for i in indicators for side in ("before", "after")]
    checked = [c for c in checked if c is not None]
    return bool(checked) and all(checked)


def _origin_start(model: StandardModel, version: ModelVersion | None) -> date | None:
    if version is None:
        return None
    started = version.document["identity"].get("started_on")
    return date.fromisoformat(started) if started else None


def model_evidence_tier(*, model: StandardModel, today: date | None = None) -> str:
    """Computed, never claimed, from the indicators the model declares (its newest version's):
    replicated (REPLICATED_ADOPTERS adopters measured), measured (the origin measured: its
    indicators have data MEASURED_DAYS before and after its start), else documented."""
    latest = model_latest_version(model=model)
    indicators = latest.document["indicators"] if latest else []
    if not indicators:
        return EvidenceTier.DOCUMENTED
    measured_adopters = 0
    for adoption in model_adoptions(model=model):
        if scope_measured(indicators=indicators, scope=_adoption_scope(adoption), today=today):
            measured_adopters += 1
            if measured_adopters >= REPLICATED_ADOPTERS:
                return EvidenceTier.REPLICATED
    if scope_measured(indicators=indicators, scope=origin_scope(model=model, version=latest), today=today):
        return EvidenceTier.MEASURED
    return EvidenceTier.DOCUMENTED


def adoption_figures(*, adoption: Adoption) -> dict:
    """An adopter's scorecard figures (WINDOW_KEYS) over MEASURED_DAYS before and after its start:
    {"before": window, "after": window} (scorecards.services.scorecard_window)."""
    scope = _adoption_scope(adoption)
    return {"before": scope.figures("before"), "after": scope.figures("after")}


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
