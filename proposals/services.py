"""Writes for proposals: file, support, comment, post an expert's alternative, answer, and set the rules.

A support that crosses a threshold creates the obligation in its own transaction (the proposal's row
is locked, so each threshold is crossed exactly once); the email to the government's staff is queued
there too, by the notifications receiver of `obligation_created`.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.gis.geos import Point
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.ratelimit import account_rate_limited
from core.db import retry_on_conflict
from core.errors import DomainError, ErrorCode
from core.events import send_event
from geodata.models import Area
from geodata.selectors import route_point
from moderation.services import require_not_blocked
from proposals.models import (
    LEVEL_ORDER,
    Answer,
    ExpertAlternative,
    Milestone,
    Obligation,
    Proposal,
    ProposalComment,
    ProposalSettings,
    ProposalSupport,
    Stance,
)
from proposals.selectors import proposal_eligibility, proposal_settings_get, proposal_thresholds
from proposals.signals import obligation_created, proposal_answered
from reports.models import Report
from reports.services import clean_text, validate_coordinates
from residency.eligibility import Eligibility, Rule, eligibility_check
from staff.models import StaffRole
from staff.selectors import staff_roles

ANSWER_ROLES = {StaffRole.Role.STAFF, StaffRole.Role.ADMINISTRATOR}
EXPERT_ROLES = {StaffRole.Role.EXPERT}
SETTINGS_ROLES = {StaffRole.Role.ADMINISTRATOR}
MAX_LINKED_REPORTS = 10
MAX_MILESTONES = 20
MAX_REVIEW_DAYS = 365


def _require_poster(user, now: datetime) -> None:
    """A confirmed account that is not blocked: the same for proposals, comments and alternatives."""
    eligibility_check(eligibility=Eligibility(rule=Rule.SIGNED_IN), user=user)
    require_not_blocked(user=user, now=now)


def _require_role(actor, government: Area, roles: set[str]) -> None:
    if not staff_roles(user=actor, government_id=government.pk) & roles:
        raise DomainError(ErrorCode.PERMISSION_DENIED, _("Only %(government)s can do this.") % {"government": government.name})


def _locked_open(proposal: Proposal) -> Proposal:
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.is_hidden:
        raise DomainError(ErrorCode.NOT_FOUND, _("This proposal is not available."))
    return locked


def _text(value, *, field: str, max_length: int, errors: dict, message: str) -> str:
    text = clean_text(value)
    if not text or len(text) > max_length:
        errors[field] = [message]
    return text


def _linked_reports(report_ids, government: Area, errors: dict) -> list[Report]:
    try:
        ids = sorted({int(i) for i in report_ids or ()})
    except (TypeError, ValueError):
        errors["reports"] = [_("Report numbers must be whole numbers.")]
        return []
    if len(ids) > MAX_LINKED_REPORTS:
        errors["reports"] = [_("Link at most %(max)d reports.") % {"max": MAX_LINKED_REPORTS}]
        return []
    reports = list(Report.objects.public().filter(pk__in=ids))
    found = {r.pk for r in reports}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        errors["reports"] = [_("No public report with the number %(numbers)s.") % {"numbers": ", ".join(missing)}]
    elif any(r.local_government_id != government.pk and not government.geom.intersects(r.location) for r in reports):
        errors["reports"] = [_("Link only reports within %(government)s.") % {"government": government.name}]
    return reports


@retry_on_conflict
def proposal_create(
    *,
    author,
    title: str,
    body: str,
    lon,
    lat,
    government: Area | None = None,
    report_ids=(),
    is_example: bool = False,
    now: datetime | None = None,
) -> Proposal:
    """A resident's proposal at a place, to the government responsible for it (or, given, one whose area holds it)."""
    now = now or timezone.now()
    _require_poster(author, now)
    errors: dict[str, list[str]] = {}
    title = _text(title, field="title", max_length=200, errors=errors, message=_("Give a title of 1 to 200 characters."))
    body = _text(body, field="body", max_length=8000, errors=errors, message=_("Describe your proposal in 1 to 8,000 characters."))
    point = None
    try:
        point = Point(*validate_coordinates(lon, lat), srid=4326)
    except DomainError as exc:
        errors["location"] = [exc.message]
    if point is not None:
        route = route_point(lon=point.x, lat=point.y)
        if route is None:
            errors["location"] = [_("This place is outside every Korean local government.")]
        elif government is None:
            government = Area.objects.get(pk=route.local_government.id)
        elif not (government.is_local_government and government.is_current and government.geom.intersects(point)):
            errors["local_government"] = [
                _("The place is not within %(government)s; it belongs to %(routed)s.") % {"government": government.name, "routed": route.local_government.name}
            ]
    reports = _linked_reports(report_ids, government, errors) if government is not None and "local_government" not in errors else []
    if errors:
        raise DomainError(ErrorCode.INVALID_PROPOSAL, _("Please correct the highlighted fields."), fields=errors)
    with transaction.atomic():
        proposal = Proposal.objects.create(
            local_government=government, author=author, title=title, body=body, location=point, is_example=is_example, created_at=now,
        )
        proposal.reports.set(reports)
    return proposal


def _deadline(start: datetime, days: int) -> datetime:
    """The end of the last day (Korean time), so "30 days" is never a few hours short."""
    last_day = timezone.localtime(start).date() + timedelta(days=days)
    return _end_of(last_day)


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)), timezone.get_current_timezone())


def _cross_thresholds(proposal: Proposal, now: datetime) -> list[Obligation]:
    """Create the obligations the proposal's support count has reached and does not have yet."""
    existing = set(Obligation.objects.filter(proposal=proposal).values_list("level", flat=True))
    created = []
    for threshold in proposal_thresholds(government=proposal.local_government):
        if threshold.level in existing or proposal.support_count < threshold.supports:
            continue
        deadline = _deadline(now, threshold.days)
        obligation = Obligation.objects.create(
            proposal=proposal, level=threshold.level, threshold=threshold.supports, days=threshold.days,
            created_at=now, deadline=deadline, due_at=deadline,
        )
        send_event(obligation_created, sender=Obligation, obligation=obligation)
        created.append(obligation)
    return created


@retry_on_conflict
def proposal_support(*, proposal: Proposal, user, now: datetime | None = None) -> ProposalSupport:
    """One support per eligible person; crossing a threshold creates its obligation in this transaction."""
    now = now or timezone.now()
    participant = eligibility_check(eligibility=proposal_eligibility(government=proposal.local_government), user=user)
    with transaction.atomic():
        locked = _locked_open(proposal)
        if locked.is_closed:
            raise DomainError(ErrorCode.PROPOSAL_CLOSED, _("This proposal has been answered; it takes no more supports."))
        if ProposalSupport.objects.filter(proposal=locked, identity=participant.identity).exists():
            raise DomainError(ErrorCode.ALREADY_SUPPORTED, _("You already support this proposal."))
        if account_rate_limited(scope="support", user=user):
            raise DomainError(ErrorCode.RATE_LIMITED, _("Too many supports in an hour. Please try again later."))
        try:
            with transaction.atomic():
                support = ProposalSupport.objects.create(proposal=locked, user=user, identity=participant.identity, created_at=now)
        except IntegrityError as exc:  # the same person through another account with the same DI, at the same moment
            raise DomainError(ErrorCode.ALREADY_SUPPORTED, _("You already support this proposal.")) from exc
        locked.support_count += 1
        locked.save(update_fields=["support_count"])
        _cross_thresholds(locked, now)
    proposal.support_count = locked.support_count
    return support


def proposal_comment(
    *, proposal: Proposal, author, body: str, stance: str, parent: ProposalComment | None = None, now: datetime | None = None
) -> ProposalComment:
    """A comment with a stance, or a reply to one, up to three levels deep."""
    now = now or timezone.now()
    _require_poster(author, now)
    errors: dict[str, list[str]] = {}
    body = _text(body, field="body", max_length=2000, errors=errors, message=_("Write a comment of 1 to 2,000 characters."))
    if stance not in Stance.values:
        errors["stance"] = [_("Choose for, neutral or against.")]
    if errors:
        raise DomainError(ErrorCode.INVALID_COMMENT, _("Please correct the highlighted fields."), fields=errors)
    with transaction.atomic():
        locked = _locked_open(proposal)
        depth = 1
        if parent is not None:
            parent = ProposalComment.objects.filter(pk=parent.pk, proposal=locked, is_hidden=False).first()
            if parent is None:
                raise DomainError(ErrorCode.INVALID_COMMENT, _("The comment you reply to is not on this proposal."), {"parent": [_("Not found.")]})
            depth = parent.depth + 1
            if depth > ProposalComment.MAX_DEPTH:
                raise DomainError(
                    ErrorCode.COMMENT_TOO_DEEP,
                    _("Replies go at most %(max)d levels deep: reply to the comment above instead.") % {"max": ProposalComment.MAX_DEPTH},
                    {"parent": [_("Too deep.")]},
                )
        if account_rate_limited(scope="comment", user=author):
            raise DomainError(ErrorCode.RATE_LIMITED, _("Too many comments in an hour. Please try again later."))
        return ProposalComment.objects.create(
            proposal=locked, parent=parent, depth=depth, author=author, stance=stance, body=body, created_at=now,
        )


def proposal_alternative_create(*, proposal: Proposal, author, title: str, body: str, now: datetime | None = None) -> ExpertAlternative:
    """An alternative by a holder of the expert role of the proposal's government."""
    now = now or timezone.now()
    _require_role(author, proposal.local_government, EXPERT_ROLES)
    require_not_blocked(user=author, now=now)
    errors: dict[str, list[str]] = {}
    title = _text(title, field="title", max_length=200, errors=errors, message=_("Give a title of 1 to 200 characters."))
    body = _text(body, field="body", max_length=8000, errors=errors, message=_("Describe the alternative in 1 to 8,000 characters."))
    if errors:
        raise DomainError(ErrorCode.INVALID_PROPOSAL, _("Please correct the highlighted fields."), fields=errors)
    with transaction.atomic():
        locked = _locked_open(proposal)
        if locked.is_closed:
            raise DomainError(ErrorCode.PROPOSAL_CLOSED, _("This proposal has been answered; it takes no more alternatives."))
        return ExpertAlternative.objects.create(proposal=locked, author=author, title=title, body=body, created_at=now)


def _clean_milestones(milestones, errors: dict) -> list[tuple[str, date | None]]:
    cleaned = []
    for number, milestone in enumerate(milestones or (), start=1):
        title = clean_text((milestone or {}).get("title"))
        due = (milestone or {}).get("due_date")
        if not title and not due:
            continue
        if not title or len(title) > 200:
            errors.setdefault("milestones", []).append(_("Milestone %(n)d: give a title of 1 to 200 characters.") % {"n": number})
        if due and not isinstance(due, date):
            try:
                due = date.fromisoformat(str(due))
            except ValueError:
                errors.setdefault("milestones", []).append(_("Milestone %(n)d: the date must be YYYY-MM-DD.") % {"n": number})
                due = None
        cleaned.append((title, due or None))
    if len(cleaned) > MAX_MILESTONES:
        errors["milestones"] = [_("At most %(max)d milestones.") % {"max": MAX_MILESTONES}]
    return cleaned


@retry_on_conflict
def proposal_answer(
    *,
    proposal: Proposal,
    actor,
    kind: str,
    text: str,
    next_date: date | None = None,
    policy_title: str = "",
    milestones=(),
    now: datetime | None = None,
) -> Answer:
    """The government's official answer; it meets, moves or (a second undated review) breaks the open obligations."""
    now = now or timezone.now()
    _require_role(actor, proposal.local_government, ANSWER_ROLES)
    errors: dict[str, list[str]] = {}
    if kind not in Answer.Kind.values:
        errors["kind"] = [_("Choose under review, accepted or declined.")]
    message = _("Give the reason for declining (1 to 8,000 characters).") if kind == Answer.Kind.DECLINED else _("Write the answer (1 to 8,000 characters).")
    text = _text(text, field="text", max_length=8000, errors=errors, message=message)
    today = timezone.localtime(now).date()
    if kind == Answer.Kind.UNDER_REVIEW and next_date is not None and not today < next_date <= today + timedelta(days=MAX_REVIEW_DAYS):
        errors["next_date"] = [_("The next date must be after today and within a year.")]
    cleaned_milestones = []
    if kind == Answer.Kind.ACCEPTED:
        policy_title = clean_text(policy_title)
        if not policy_title or len(policy_title) > 200:
            errors["policy_title"] = [_("Name the policy or project it becomes (1 to 200 characters).")]
        cleaned_milestones = _clean_milestones(milestones, errors)
    else:
        policy_title = ""
    if errors:
        raise DomainError(ErrorCode.INVALID_ANSWER, _("Please correct the highlighted fields."), fields=errors)
    with transaction.atomic():
        locked = _locked_open(proposal)
        if locked.is_closed:
            raise DomainError(ErrorCode.PROPOSAL_CLOSED, _("This proposal has already been answered (%(status)s).") % {"status": locked.get_status_display()})
        reviewed_before = Answer.objects.filter(proposal=locked, kind=Answer.Kind.UNDER_REVIEW).exists()
        answer = Answer.objects.create(
            proposal=locked, kind=kind, text=text, next_date=next_date if kind == Answer.Kind.UNDER_REVIEW else None,
            policy_title=policy_title, actor=actor, created_at=now,
        )
        for obligation in Obligation.objects.select_for_update().filter(proposal=locked, closed_at__isnull=True):
            if kind != Answer.Kind.UNDER_REVIEW:
                obligation.closed_at = now
                obligation.met_at = obligation.met_at or now
            elif next_date is not None:
                obligation.due_at = _end_of(next_date)
                obligation.met_at = obligation.met_at or now
                obligation.marked_overdue_at = None
            elif reviewed_before:
                # "Under review" again with no date is how proposals sat for months: it counts as overdue.
                obligation.marked_overdue_at = obligation.marked_overdue_at or now
            obligation.save()
        if kind == Answer.Kind.ACCEPTED:
            locked.status = Proposal.Status.ACCEPTED
            Milestone.objects.bulk_create(
                [Milestone(proposal=locked, title=title, due_date=due, created_at=now, updated_at=now) for title, due in cleaned_milestones]
            )
        elif kind == Answer.Kind.DECLINED:
            locked.status = Proposal.Status.DECLINED
        locked.save(update_fields=["status"])
        send_event(proposal_answered, sender=Answer, answer=answer)
    proposal.status = locked.status
    return answer


def milestone_add(*, proposal: Proposal, actor, title: str, due_date: date | None = None, now: datetime | None = None) -> Milestone:
    now = now or timezone.now()
    _require_role(actor, proposal.local_government, ANSWER_ROLES)
    errors: dict[str, list[str]] = {}
    [(title, due_date)] = _clean_milestones([{"title": title, "due_date": due_date}], errors) or [("", None)]
    if not title:
        errors.setdefault("title", [_("Give a title of 1 to 200 characters.")])
    if errors:
        raise DomainError(ErrorCode.INVALID_ANSWER, _("Please correct the highlighted fields."), fields=errors)
    if proposal.status != Proposal.Status.ACCEPTED:
        raise DomainError(ErrorCode.INVALID_ANSWER, _("Only an accepted proposal has milestones."))
    return Milestone.objects.create(proposal=proposal, title=title, due_date=due_date, created_at=now, updated_at=now)


def milestone_update(*, milestone: Milestone, actor, progress, note: str = "", now: datetime | None = None) -> Milestone:
    """Report a milestone's progress (0–100 %), shown in the proposal's timeline."""
    now = now or timezone.now()
    _require_role(actor, milestone.proposal.local_government, ANSWER_ROLES)
    try:
        progress = int(progress)
    except (TypeError, ValueError):
        progress = -1
    note = clean_text(note)
    if not 0 <= progress <= 100 or len(note) > 2000:
        raise DomainError(
            ErrorCode.INVALID_ANSWER, _("Please correct the highlighted fields."),
            {"progress": [_("Progress is a whole number from 0 to 100.")]} if not 0 <= progress <= 100 else {"note": [_("At most 2,000 characters.")]},
        )
    milestone.progress, milestone.note, milestone.updated_at = progress, note, now
    milestone.save(update_fields=["progress", "note", "updated_at"])
    return milestone


def proposal_settings_set(*, actor, government: Area, now: datetime | None = None, **values) -> ProposalSettings:
    """A government's administrators set who may support and its thresholds and deadlines.

    Thresholds must rise (department < forum < head). Obligations already created keep their deadline;
    new thresholds apply from the next support.
    """
    now = now or timezone.now()
    _require_role(actor, government, SETTINGS_ROLES)
    errors: dict[str, list[str]] = {}
    rule = values.get("eligibility_rule")
    if rule not in Rule.values:
        errors["eligibility_rule"] = [_("Choose who may support.")]
    numbers = {}
    for level in LEVEL_ORDER:
        for suffix, high in (("supports", 10_000_000), ("days", MAX_REVIEW_DAYS)):
            name = f"{level}_{suffix}"
            try:
                numbers[name] = int(values.get(name))
            except (TypeError, ValueError):
                numbers[name] = 0
            if not 1 <= numbers[name] <= high:
                errors[name] = [_("A whole number from 1 to %(max)s.") % {"max": f"{high:,}"}]
    if not errors and not numbers["department_supports"] < numbers["forum_supports"] < numbers["head_supports"]:
        errors["forum_supports"] = [_("Each threshold must be higher than the one before.")]
    if errors:
        raise DomainError(ErrorCode.INVALID_THRESHOLDS, _("Please correct the highlighted fields."), fields=errors)
    with transaction.atomic():
        current = proposal_settings_get(government=government)
        current.eligibility_rule = rule
        for name, value in numbers.items():
            setattr(current, name, value)
        current.updated_by, current.updated_at = actor, now
        current.save()
    return current
