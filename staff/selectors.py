"""Reads for staff: which governments a person works for, their queue, and what they may do."""

from __future__ import annotations

import math
from datetime import timedelta

from django.contrib.gis.measure import D
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from clients.models import ApiKey, Scope
from geodata.models import Area
from geodata.selectors import local_government_find
from reports.models import OPEN_STATUSES, Report, overdue_q
from reports.selectors import ReportFilters, report_list
from staff.models import Department, ReplyTemplate, StaffInvitation, StaffRole

Role = StaffRole.Role
# What each power needs. Powers end at the governments where the person holds the role.
VIEW_ROLES = {Role.STAFF, Role.MODERATOR, Role.EXPERT, Role.ADMINISTRATOR}
PRIVATE_ROLES = {Role.STAFF, Role.MODERATOR}  # reporter contact details
WORK_ROLES = {Role.STAFF}  # status, assignment, official updates, re-routing
MODERATE_ROLES = {Role.MODERATOR}
TEAM_ROLES = {Role.ADMINISTRATOR}  # invitations, roles and reply templates of the government


def staff_roles(*, user, government_id: int) -> set[str]:
    """The roles a principal holds at one government: a person's (every role for superusers), or
    an API key's: a usable staff-scoped key of a government's client is STAFF there, nothing else."""
    if isinstance(user, ApiKey):
        key = user
        own = key.client.local_government_id
        return {Role.STAFF} if own is not None and own == government_id and key.has_scope(Scope.STAFF) and key.is_usable else set()
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return set(Role.values)
    roles = getattr(user, "_staff_roles_cache", None)
    if roles is None:
        roles = {}
        for government_id_, role in StaffRole.objects.filter(user=user).values_list("local_government_id", "role"):
            roles.setdefault(government_id_, set()).add(role)
        user._staff_roles_cache = roles
    return roles.get(government_id, set())


def staff_can(*, user, report: Report, roles: set[str]) -> bool:
    return bool(staff_roles(user=user, government_id=report.local_government_id) & roles)


def staff_governments(*, user) -> QuerySet[Area]:
    """The governments whose queue this person may see."""
    if user.is_superuser:
        return Area.objects.local_governments().current()
    return Area.objects.filter(staff_roles__user=user, staff_roles__role__in=VIEW_ROLES).distinct().order_by("code")


def staff_team_governments(*, user) -> QuerySet[Area]:
    """The governments whose team this person manages (superusers: every one)."""
    if not user.is_authenticated:
        return Area.objects.none()
    if user.is_superuser:
        return Area.objects.local_governments().current().order_by("code")
    return Area.objects.filter(staff_roles__user=user, staff_roles__role__in=TEAM_ROLES).distinct().order_by("code")


def staff_can_manage_team(*, user, government_id: int) -> bool:
    return bool(staff_roles(user=user, government_id=government_id) & TEAM_ROLES)


def staff_team(*, government: Area) -> list[dict]:
    """Everyone holding a role at a government, one entry a person with the set of their roles."""
    people: dict[int, dict] = {}
    for role in StaffRole.objects.filter(local_government=government).select_related("user").order_by("user__username", "role"):
        entry = people.setdefault(role.user_id, {"user": role.user, "roles": set()})
        entry["roles"].add(role.role)
    return list(people.values())


def staff_invitations_pending(*, government: Area) -> QuerySet[StaffInvitation]:
    cutoff = timezone.now() - timedelta(days=StaffInvitation.VALID_DAYS)
    return StaffInvitation.objects.filter(local_government=government, accepted_at__isnull=True, created_at__gte=cutoff)


def staff_reply_templates(*, government_ids) -> QuerySet[ReplyTemplate]:
    return ReplyTemplate.objects.filter(local_government_id__in=list(government_ids))


def staff_government_search(*, query: str, limit: int = 20) -> QuerySet[Area]:
    """Current local governments whose code starts with, or whose name contains, the query."""
    query = (query or "").strip()
    areas = Area.objects.local_governments().current().select_related("parent")
    if not query:
        return areas.none()
    return areas.filter(Q(code__startswith=query) | Q(name__icontains=query) | Q(name_en__icontains=query)).order_by("code")[:limit]


def staff_nearby_reports(*, report: Report, radius_m: int = 500, limit: int = 30) -> list[Report]:
    """Other reports of the same government around a report, for the staff map."""
    # A box in degrees for the index (wide enough at Korean latitudes), then the exact metres.
    degrees = radius_m / 111_320 / max(math.cos(math.radians(report.location.y)), 0.1)
    return list(
        Report.objects.filter(
            local_government_id=report.local_government_id,
            location__dwithin=(report.location, degrees), location__distance_lte=(report.location, D(m=radius_m)),
        )
        .exclude(pk=report.pk)
        .select_related("category")
        .order_by("-created_at")[:limit]
    )


def staff_is_member(*, user) -> bool:
    return user.is_authenticated and (user.is_superuser or StaffRole.objects.filter(user=user).exists())


QUEUE_SORTS = {"due", "-created", "created"}


def staff_report_queue(*, user, governments: list[Area], filters: ReportFilters, sort: str = "due") -> QuerySet[Report]:
    """Reports of the given governments (which must be the person's own), overdue first, then by due date.

    Every report routed to a government, including unconfirmed and hidden ones, is its staff's work.
    """
    allowed = {area.pk for area in governments if staff_roles(user=user, government_id=area.pk) & VIEW_ROLES}
    reports = report_list(filters=filters, include_private=True).filter(local_government_id__in=allowed)
    now = timezone.now()
    reports = reports.annotate(
        overdue_rank=Case(
            When(overdue_q(now), then=Value(0)),
            When(status__in=OPEN_STATUSES, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).select_related("category", "local_government", "assignment__department", "assignment__officer")
    if sort == "created":
        return reports.order_by("created_at", "id")
    if sort == "-created":
        return reports.order_by("-created_at", "-id")
    return reports.order_by("overdue_rank", "due_at", "id")


def staff_report_get(*, user, report_id: int) -> Report:
    """A report the person may see as staff; 404 for anyone else's, so its existence is not revealed."""
    report = (
        Report.objects.select_related("category", "local_government", "reporter", "municipal_unit", "submunicipal_unit")
        .filter(pk=report_id)
        .first()
    )
    if report is None or not staff_can(user=user, report=report, roles=VIEW_ROLES):
        raise Http404
    return report


def staff_departments(*, government: Area) -> QuerySet[Department]:
    return Department.objects.filter(local_government=government)


def staff_officers(*, government: Area):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(staff_roles__local_government=government, staff_roles__role=Role.STAFF).distinct().order_by("username")


def staff_recipients_for_new_report(*, report: Report) -> QuerySet[StaffRole]:
    """Staff of the government a report is routed to, with their notice preference."""
    return StaffRole.objects.filter(local_government_id=report.local_government_id, role=Role.STAFF).exclude(user__email="").select_related("user")


def staff_government_resolve(*, query: str) -> tuple[Area | None, list[Area]]:
    return local_government_find(query=query)


def staff_report_answers(*, report: Report, language: str = "ko") -> list[tuple[str, str]]:
    """The answers to the category's questions, labelled with the questions' wording; answers to
    questions removed since are shown under their code, so nothing the reporter said is lost."""
    rows = []
    questions = {question.code: question for question in report.category.questions.all()}
    for code, value in (report.answers or {}).items():
        question = questions.get(code)
        if question is None:
            rows.append((code, ", ".join(map(str, value)) if isinstance(value, list) else str(value)))
            continue
        labels = {str(v["key"]): (v.get("name_en") if language == "en" and v.get("name_en") else v.get("name")) for v in question.values or []}
        values = value if isinstance(value, list) else [value]
        rows.append((question.display_description(language), ", ".join(labels.get(str(item)) or str(item) for item in values)))
    order = {q.display_description(language): i for i, q in enumerate(questions.values())}
    return sorted(rows, key=lambda row: order.get(row[0], len(order)))
