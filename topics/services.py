"""Writes of the opinion map: open a topic (staff), write a statement and vote (eligible residents),
moderate statements (moderators), and recompute the opinion groups (the worker)."""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError, ErrorCode
from geodata.models import Area
from moderation.services import require_not_blocked
from reports.services import clean_text
from residency.eligibility import Rule, eligibility_check
from residency.selectors import area_ancestor_ids
from staff.models import StaffRole
from staff.selectors import MODERATE_ROLES, staff_roles
from topics.models import STATEMENT_MAX_LENGTH, Statement, Topic, TopicResult, Vote
from topics.opinion import opinion_compute, vote_matrix
from topics.selectors import participant_key

logger = logging.getLogger(__name__)

OPEN_ROLES = {StaffRole.Role.STAFF, StaffRole.Role.ADMINISTRATOR}
# Moderators, and administrators who run the team, decide which statements are shown.
STATEMENT_MODERATE_ROLES = MODERATE_ROLES | {StaffRole.Role.ADMINISTRATOR}
VOTE_VALUES = {"agree": Vote.Value.AGREE, "disagree": Vote.Value.DISAGREE, "pass": Vote.Value.PASS}


def topic_open(
    *,
    actor,
    government: Area | None = None,
    title: str,
    description: str = "",
    eligibility_rule: str = Rule.SIGNED_IN,
    areas: list[Area] = (),
    proposal=None,
    statements: list[str] = (),
    is_example: bool = False,
    now: datetime | None = None,
) -> Topic:
    """A topic of a local government, standalone or on a proposal (then of the proposal's government).
    `statements`: seed statements, shown at once (staff wrote them)."""
    if proposal is not None:
        government = proposal.local_government
    if government is None:
        raise DomainError(ErrorCode.INVALID_TOPIC, _("Choose the local government."))
    if actor is not None and not staff_roles(user=actor, government_id=government.pk) & OPEN_ROLES:  # None: the platform (demo)
        raise DomainError(ErrorCode.PERMISSION_DENIED, _("Only staff of %(government)s can do this.") % {"government": government.name})
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    title = clean_text(title)
    if not title or len(title) > 200:
        errors["title"] = [_("Ask a question of 1 to 200 characters.")]
    description = clean_text(description)
    if len(description) > 4000:
        errors["description"] = [_("At most 4,000 characters.")]
    if eligibility_rule not in Rule.values:
        errors["eligibility_rule"] = [_("Choose who may take part.")]
    elif eligibility_rule in (Rule.RESIDENTS, Rule.VERIFIED_RESIDENTS):
        if not areas:
            errors["areas"] = [_("Name the areas whose residents may take part.")]
        elif any(government.pk not in area_ancestor_ids(area=area) for area in areas):
            errors["areas"] = [_("Every area must be within %(government)s.") % {"government": government.name}]
    seeds = [clean_text(text) for text in statements if clean_text(text)]
    if any(len(text) > STATEMENT_MAX_LENGTH for text in seeds):
        errors["statements"] = [_("A statement has at most %(max)d characters.") % {"max": STATEMENT_MAX_LENGTH}]
    if errors:
        raise DomainError(ErrorCode.INVALID_TOPIC, _("Please correct the highlighted fields."), fields=errors)
    with transaction.atomic():
        topic = Topic.objects.create(
            local_government=government, proposal=proposal, title=title, description=description,
            eligibility_rule=eligibility_rule, is_example=is_example, opened_by=actor, created_at=now,
        )
        topic.areas.set(areas)
        Statement.objects.bulk_create([
            Statement(topic=topic, author=actor, text=text, status=Statement.Status.SHOWN, moderated_by=actor, moderated_at=now, created_at=now)
            for text in seeds
        ])
    return topic


def topic_close(*, actor, topic: Topic) -> Topic:
    if not staff_roles(user=actor, government_id=topic.local_government_id) & OPEN_ROLES:
        raise DomainError(ErrorCode.PERMISSION_DENIED, _("Only staff of %(government)s can do this.") % {"government": topic.local_government.name})
    Topic.objects.filter(pk=topic.pk).update(is_open=False)
    topic.is_open = False
    return topic


def _require_open(topic: Topic) -> None:
    if not topic.is_open:
        raise DomainError(ErrorCode.TOPIC_CLOSED, _("This topic is closed: it takes no more statements or votes."))


def statement_submit(*, topic: Topic, user, text: str, now: datetime | None = None) -> Statement:
    """A resident's statement, waiting for the moderators before anyone sees it."""
    now = now or timezone.now()
    topic = Topic.objects.get(pk=topic.pk)
    _require_open(topic)
    eligibility_check(eligibility=topic.eligibility(), user=user)
    require_not_blocked(user=user, now=now)
    text = clean_text(text)
    if not text:
        raise DomainError(ErrorCode.INVALID_STATEMENT, _("Write a statement."), {"text": [_("Write a statement.")]})
    if len(text) > STATEMENT_MAX_LENGTH:
        message = _("A statement has at most %(max)d characters; this one has %(count)d.") % {"max": STATEMENT_MAX_LENGTH, "count": len(text)}
        raise DomainError(ErrorCode.INVALID_STATEMENT, message, {"text": [message]})
    if Statement.objects.filter(topic=topic, text=text).exclude(status=Statement.Status.REJECTED).exists():
        message = _("This statement is already in the topic.")
        raise DomainError(ErrorCode.INVALID_STATEMENT, message, {"text": [message]})
    return Statement.objects.create(topic=topic, author=user, text=text, created_at=now)


def statement_moderate(*, actor, statement: Statement, decision: str, reason: str = "", now: datetime | None = None) -> Statement:
    """A moderator shows a pending statement, or rejects it with a reason (kept with it)."""
    now = now or timezone.now()
    if not staff_roles(user=actor, government_id=statement.topic.local_government_id) & STATEMENT_MODERATE_ROLES:
        government = statement.topic.local_government
        raise DomainError(ErrorCode.PERMISSION_DENIED, _("Only the moderators of %(government)s can moderate its statements.") % {"government": government.name})
    if decision not in ("show", "reject"):
        raise DomainError(ErrorCode.INVALID_DECISION, _("Choose to show or to reject the statement."))
    reason = clean_text(reason)
    if decision == "reject" and not reason:
        raise DomainError(ErrorCode.REASON_REQUIRED, _("Give a reason."), {"reason": [_("Give a reason.")]})
    with transaction.atomic():
        locked = Statement.objects.select_for_update().select_related("topic").get(pk=statement.pk)
        if locked.status != Statement.Status.PENDING:
            raise DomainError(ErrorCode.INVALID_DECISION, _("This statement has already been moderated."))
        locked.status = Statement.Status.SHOWN if decision == "show" else Statement.Status.REJECTED
        locked.moderated_by, locked.moderated_at, locked.rejection_reason = actor, now, reason[:1000]
        locked.save(update_fields=["status", "moderated_by", "moderated_at", "rejection_reason"])
        if locked.status == Statement.Status.SHOWN:
            topic_mark_changed(topic_id=locked.topic_id)  # one more statement: min(7, statements) may change
    return locked


def statement_vote(*, statement: Statement, user, vote: str, now: datetime | None = None) -> Vote:
    """Agree, disagree or pass on a shown statement; voting again changes the vote."""
    now = now or timezone.now()
    if vote not in VOTE_VALUES:
        raise DomainError(ErrorCode.INVALID_VOTE, _("Vote agree, disagree or pass."), {"vote": [_("Vote agree, disagree or pass.")]})
    statement = Statement.objects.select_related("topic").get(pk=statement.pk)
    topic = statement.topic
    _require_open(topic)
    if not statement.is_votable:
        raise DomainError(ErrorCode.STATEMENT_NOT_VOTABLE, _("This statement is not shown (waiting for moderation, rejected or hidden): it takes no votes."))
    participant = eligibility_check(eligibility=topic.eligibility(), user=user)
    require_not_blocked(user=user, now=now)
    key = participant_key(topic=topic, identity=participant.identity)
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                saved, _created = Vote.objects.update_or_create(
                    statement=statement, participant_key=key,
                    defaults={"topic": topic, "value": VOTE_VALUES[vote], "updated_at": now},
                )
                Topic.objects.filter(pk=topic.pk).update(needs_recompute=True, votes_version=F("votes_version") + 1)
            return saved
        except IntegrityError:  # the same person's two first votes at once: the second updates
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def topic_mark_changed(*, topic_id: int) -> None:
    """Something the map depends on changed (a statement shown or hidden): recompute it."""
    Topic.objects.filter(pk=topic_id).update(needs_recompute=True, votes_version=F("votes_version") + 1)


def _votes(topic: Topic, statement_ids: list[int]) -> tuple[list, list, list]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT participant_key, statement_id, value FROM topics_vote WHERE topic_id = %s AND statement_id = ANY(%s)",
            [topic.pk, statement_ids],
        )
        rows = cursor.fetchall()
    if not rows:
        return [], [], []
    keys, statements, values = zip(*rows, strict=True)
    return list(keys), list(statements), list(values)


def topic_recompute(*, topic: Topic, now: datetime | None = None) -> TopicResult:
    """Recompute the opinion map from the current votes alone and store it."""
    now = now or timezone.now()
    version = Topic.objects.filter(pk=topic.pk).values_list("votes_version", flat=True).get()
    statement_ids = list(
        Statement.objects.filter(topic=topic, status=Statement.Status.SHOWN, is_hidden=False).order_by("id").values_list("id", flat=True)
    )
    keys, statements, values = _votes(topic, statement_ids)
    result = opinion_compute(vote_matrix(participants=keys, statements=statements, values=values, statement_ids=statement_ids))
    points = sorted(
        (round(float(x), 4), round(float(y), 4), int(g)) for (x, y), g in zip(result.positions, result.groups, strict=True)
    )
    positions = [[x, y, g] for x, y, g in sorted(points, key=lambda p: (p[2], p[0], p[1]))]
    groups = [
        {
            "size": size, "representative": result.representative[g],
            "votes": {str(sid): list(counts) for sid, counts in result.group_votes[g].items()},
        }
        for g, size in enumerate(result.group_sizes)
    ]
    with transaction.atomic():
        stored, _created = TopicResult.objects.update_or_create(
            topic=topic,
            defaults={
                "computed_at": now, "votes_version": version, "voters": result.voters, "participants": result.participants,
                "positions": positions, "groups": groups,
                "consensus": {str(sid): score for sid, score in result.consensus.items()},
                "common_ground": result.common_ground,
            },
        )
        # Only when no vote came in meanwhile; otherwise the next pass recomputes again.
        Topic.objects.filter(pk=topic.pk, votes_version=version).update(needs_recompute=False)
    return stored


def topics_recompute_dirty(*, now: datetime | None = None) -> int:
    """The worker's job: recompute every topic whose votes changed. Returns how many were."""
    done = 0
    for topic_id in list(Topic.objects.filter(needs_recompute=True).order_by("id").values_list("id", flat=True)):
        with transaction.atomic():
            # One worker per topic at a time; another worker skips it.
            topic = Topic.objects.select_for_update(skip_locked=True).filter(pk=topic_id, needs_recompute=True).first()
            if topic is None:
                continue
            topic_recompute(topic=topic, now=now)
            done += 1
    return done
