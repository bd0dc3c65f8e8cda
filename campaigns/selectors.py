"""Reads of campaigns: who holds which role, what is public, coverage, the dashboard."""

from __future__ import annotations

import json

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from campaigns.coverage import campaign_coverage, campaign_map_next, campaign_units_geojson
from campaigns.models import (
    Campaign,
    CampaignMember,
    CampaignUnit,
    Entry,
    EntryEvent,
    EntryPhoto,
    EntryStatus,
    Organisation,
    Participation,
    WindowState,
)
from geodata.models import Area
from reports.models import Question, Status
from staff.models import StaffRole
from staff.selectors import staff_roles

# Coverage reads live in campaigns.coverage; they are selectors too, importable from here.
REEXPORTED = (campaign_coverage, campaign_map_next, campaign_units_geojson)

Role = CampaignMember.Role


def campaign_list(*, public: bool = True) -> QuerySet[Campaign]:
    """Every campaign, newest window first (examples too: pages mark them; statistics skip them)."""
    campaigns = Campaign.objects.select_related("organiser_government", "organiser_organisation").defer("area", "drawn_area")
    return campaigns.order_by("-starts_at", "slug")


def campaign_list_by_state(*, now=None) -> dict[str, list[Campaign]]:
    """The list page's three groups: upcoming, open, closed (Campaign.window_state decides)."""
    now = now or timezone.now()
    groups: dict[str, list[Campaign]] = {state: [] for state in WindowState.values}
    for campaign in campaign_list():
        groups[campaign.window_state(now)].append(campaign)
    groups[WindowState.UPCOMING].reverse()  # soonest first
    return groups


def campaign_get(*, slug: str) -> Campaign | None:
    return (
        Campaign.objects.select_related("organiser_government", "organiser_organisation")
        .prefetch_related("partners", "governments").filter(slug=slug).first()
    )


def campaign_role(*, campaign: Campaign, user) -> str | None:
    """The one answer to "what may this person do here": organiser, validator, mapper or None.

    Superusers and staff of the organising government are organisers without a membership row;
    members have their row's role; in an open campaign anyone signed in is a mapper.
    """
    if user is None or not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.ORGANISER
    if campaign.organiser_government_id and staff_roles(user=user, government_id=campaign.organiser_government_id):
        return Role.ORGANISER
    cache = getattr(user, "_campaign_roles", None)
    if cache is None:
        cache = user._campaign_roles = {}
    if campaign.pk not in cache:
        cache[campaign.pk] = CampaignMember.objects.filter(campaign=campaign, user=user).values_list("role", flat=True).first()
    role = cache[campaign.pk]
    if role is None and campaign.participation == Participation.OPEN:
        return Role.MAPPER
    return role


def campaign_organised_by(*, user) -> QuerySet[Campaign]:
    """Campaigns this person organises (for the organiser's tools)."""
    if not user.is_authenticated:
        return Campaign.objects.none()
    if user.is_superuser:
        return campaign_list()
    governments = StaffRole.objects.filter(user=user).values("local_government_id")
    return campaign_list().filter(
        Q(organiser_government_id__in=governments) | Q(members__user=user, members__role=Role.ORGANISER)
    ).distinct()


def campaign_public_field_keys(*, campaign: Campaign) -> list[str]:
    """THE one home of which answer keys the public may see: the form fields marked public.
    Exports, the API, tiles and pages all ask here; everything else is private."""
    return [field["key"] for field in campaign.form_fields if field.get("public")]


def entry_public_answers(*, campaign: Campaign, answers: dict) -> dict:
    public = campaign_public_field_keys(campaign=campaign)
    return {key: answers[key] for key in public if key in (answers or {})}


def form_field_questions(*, campaign: Campaign) -> dict[str, Question]:
    """The form's answer fields as (unsaved) report questions, so reports.answers checks them."""
    return {
        field["key"]: Question(
            code=field["key"], datatype=field["datatype"], description=field["label"],
            required=field.get("required", False), values=field.get("values", []),
        )
        for field in campaign.form_fields if field["datatype"] != "photo"
    }


def _json(value):
    return json.loads(value) if isinstance(value, str | bytes) else value


def campaign_public_entries(*, campaign: Campaign) -> list[dict]:
    """Entries for the public map: not hidden, public answers and public photos only, no author.
    One statement, no model instances: a campaign's map holds thousands of entries."""
    public_keys = campaign_public_field_keys(campaign=campaign)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT e.id, e.entry_type, e.status, ST_X(e.location), ST_Y(e.location), e.answers, e.report_id, e.created_at,
                   ARRAY(SELECT p.id FROM campaigns_entryphoto p WHERE p.entry_id = e.id AND p.field_key = ANY(%(keys)s) ORDER BY p.id)
            FROM campaigns_entry e
            WHERE e.campaign_id = %(campaign)s AND NOT e.is_hidden
            ORDER BY e.created_at, e.id
            """,
            {"campaign": campaign.pk, "keys": public_keys},
        )
        rows = cursor.fetchall()
    # Django has the driver hand jsonb over as text (JSONField decodes it): decode it here too.
    return [
        {
            "id": pk, "entry_type": entry_type, "status": status, "lon": round(x, 6), "lat": round(y, 6),
            "answers": {key: value for key, value in _json(answers).items() if key in public_keys},
            "photos": list(photos), "report": report_id, "created_at": created_at.isoformat(),
        }
        for pk, entry_type, status, x, y, answers, report_id, created_at, photos in rows
    ]


def campaign_contributors(*, campaign: Campaign) -> int:
    """How many people mapped (a count: never who)."""
    return Entry.objects.filter(campaign=campaign, is_hidden=False).values("author_id").distinct().count()


def campaign_entry_counts(*, campaign: Campaign) -> dict[str, int]:
    counts = dict(
        Entry.objects.filter(campaign=campaign, is_hidden=False).values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in EntryStatus.values}


def campaign_timeline(*, campaign: Campaign) -> list[dict]:
    """Per day (Korean time): entries mapped and entries validated, public entries only."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT day, sum(mapped)::int, sum(validated)::int FROM (
                SELECT (e.created_at AT TIME ZONE 'Asia/Seoul')::date AS day, 1 AS mapped, 0 AS validated
                FROM campaigns_entry e WHERE e.campaign_id = %(campaign)s AND NOT e.is_hidden
                UNION ALL
                SELECT (ev.created_at AT TIME ZONE 'Asia/Seoul')::date, 0, 1
                FROM campaigns_entryevent ev JOIN campaigns_entry e ON e.id = ev.entry_id
                WHERE e.campaign_id = %(campaign)s AND NOT e.is_hidden AND ev.action = %(validated)s
            ) days GROUP BY day ORDER BY day
            """,
            {"campaign": campaign.pk, "validated": EntryEvent.Action.VALIDATED},
        )
        return [{"day": day, "mapped": mapped, "validated": validated} for day, mapped, validated in cursor.fetchall()]


def campaign_dashboard(*, campaign: Campaign) -> dict:
    """How governments responded to the reports made from entries: by status, median days to close."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT r.status, count(*),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.closed_at - r.created_at) / 86400)
                       FILTER (WHERE r.status = %(closed)s AND r.closed_at IS NOT NULL)
            FROM reports_report r
            WHERE r.id IN (SELECT report_id FROM campaigns_entry WHERE campaign_id = %(campaign)s AND report_id IS NOT NULL)
            GROUP BY GROUPING SETS ((r.status), ())
            """,
            {"campaign": campaign.pk, "closed": Status.CLOSED},
        )
        rows = cursor.fetchall()
    by_status = {status: 0 for status in Status.values}
    total, median = 0, None
    for status, count, status_median in rows:
        if status is None:
            total, median = count, status_median
        else:
            by_status[status] = count
    return {
        "reports": total,
        "by_status": by_status,
        "median_days_to_close": round(median, 1) if median is not None else None,
    }


def entry_review_queue(*, campaign: Campaign) -> QuerySet[Entry]:
    """Entries waiting for a validator: submitted or resubmitted, not hidden, oldest first."""
    return (
        Entry.objects.filter(campaign=campaign, is_hidden=False, status__in=[EntryStatus.SUBMITTED, EntryStatus.RESUBMITTED])
        .select_related("author", "unit").prefetch_related("photos", "events").order_by("updated_at", "id")
    )


def entry_list_for_organisers(*, campaign: Campaign) -> QuerySet[Entry]:
    return Entry.objects.filter(campaign=campaign).select_related("author", "unit", "report").order_by("-created_at", "-id")


def entry_list_for_author(*, campaign: Campaign, user) -> QuerySet[Entry]:
    if not user.is_authenticated:
        return Entry.objects.none()
    return Entry.objects.filter(campaign=campaign, author=user).prefetch_related("events").order_by("-created_at", "-id")


def campaign_units(*, campaign: Campaign) -> QuerySet[CampaignUnit]:
    return CampaignUnit.objects.filter(campaign=campaign).defer("geom").order_by("-priority", "label")


def entry_get(*, campaign: Campaign, entry_id: int) -> Entry | None:
    return Entry.objects.select_related("campaign", "author", "unit", "report").filter(campaign=campaign, pk=entry_id).first()


def entry_photo_visible(*, campaign: Campaign, photo_id: int, user) -> EntryPhoto | None:
    """A photo the person may see: a public field's photo of a visible entry; every photo for the
    campaign's organisers and validators; their own photos for the author."""
    photo = EntryPhoto.objects.select_related("entry").filter(pk=photo_id, entry__campaign=campaign).first()
    if photo is None:
        return None
    if campaign_role(campaign=campaign, user=user) in (Role.ORGANISER, Role.VALIDATOR):
        return photo
    if user.is_authenticated and photo.entry.author_id == user.pk:
        return photo
    if not photo.entry.is_hidden and photo.field_key in campaign_public_field_keys(campaign=campaign):
        return photo
    return None


def campaign_organiser_choices(*, user) -> list[tuple[str, str]]:
    """Whom this person may open a campaign for: their governments ("gov:<code>"), and for a
    superuser every organisation ("org:<slug>") and every government."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        governments = Area.objects.current().local_governments().order_by("code")
        choices = [(f"org:{o.slug}", o.name) for o in Organisation.objects.order_by("name")]
    else:
        governments = Area.objects.current().local_governments().filter(staff_roles__user=user).distinct().order_by("code")
        choices = []
    return choices + [(f"gov:{area.code}", f"{area.name} ({area.code})") for area in governments]


def organiser_from_choice(*, value: str) -> tuple[Area | None, Organisation | None]:
    kind, _sep, key = (value or "").partition(":")
    if kind == "gov":
        return Area.objects.current().local_governments().filter(code=key).first(), None
    if kind == "org":
        return None, Organisation.objects.filter(slug=key).first()
    return None, None


def governments_from_codes(*, codes: str) -> tuple[list[Area], list[str]]:
    """Current local governments by KOSTAT code (today's or an old one); the codes not found."""
    found, unknown = [], []
    for code in [c.strip() for c in (codes or "").replace(" ", ",").split(",") if c.strip()]:
        area = Area.objects.current().local_governments().with_code(code).first()
        (found.append(area) if area else unknown.append(code))
    return found, unknown
