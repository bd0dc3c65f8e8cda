"""Reads for proposals: a government's rules, lists, threads, obligations and the timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from geodata.models import Area
from proposals.models import (
    LEVEL_ORDER,
    Answer,
    ExpertAlternative,
    Obligation,
    Proposal,
    ProposalComment,
    ProposalSettings,
    ProposalSupport,
    overdue_obligations_q,
)
from residency.eligibility import Eligibility


@dataclass(frozen=True)
class Threshold:
    level: str
    supports: int
    days: int


def proposal_settings_get(*, government: Area) -> ProposalSettings:
    """The government's saved rules, or an unsaved row holding the defaults of settings."""
    saved = ProposalSettings.objects.filter(local_government=government).first()
    if saved is not None:
        return saved
    defaults = settings.PROPOSAL_THRESHOLDS
    return ProposalSettings(
        local_government=government, eligibility_rule=settings.PROPOSAL_ELIGIBILITY_RULE,
        department_supports=defaults["department"][0], department_days=defaults["department"][1],
        forum_supports=defaults["forum"][0], forum_days=defaults["forum"][1],
        head_supports=defaults["head"][0], head_days=defaults["head"][1],
    )


def proposal_thresholds(*, government: Area) -> list[Threshold]:
    rules = proposal_settings_get(government=government)
    return [Threshold(level, getattr(rules, f"{level}_supports"), getattr(rules, f"{level}_days")) for level in LEVEL_ORDER]


def proposal_eligibility(*, government: Area) -> Eligibility:
    """Who may support proposals to this government: its rule, over the government's own area."""
    rules = proposal_settings_get(government=government)
    return Eligibility(rule=rules.eligibility_rule, area_ids=frozenset({government.pk}))


def proposal_list(*, government: Area | None = None, status: str | None = None, query: str = "") -> QuerySet[Proposal]:
    """Public proposals, newest first."""
    proposals = Proposal.objects.public().select_related("local_government")
    if government is not None:
        proposals = proposals.filter(local_government=government)
    if status:
        proposals = proposals.filter(status=status)
    if query:
        proposals = proposals.filter(Q(title__icontains=query) | Q(body__icontains=query))
    return proposals


def proposal_get(*, pk) -> Proposal | None:
    """A public proposal (hidden ones are gone for everyone but the audit trail)."""
    try:
        return Proposal.objects.public().select_related("local_government", "author").get(pk=int(pk))
    except (Proposal.DoesNotExist, TypeError, ValueError):
        return None


def proposal_has_supported(*, proposal: Proposal, user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return ProposalSupport.objects.filter(proposal=proposal, user=user).exists()


def proposal_comment_tree(*, proposal: Proposal) -> list[dict]:
    """Visible comments as a tree: [{"comment", "replies": [...]}]; a hidden comment's replies go with it."""
    comments = list(ProposalComment.objects.filter(proposal=proposal, is_hidden=False).select_related("author"))
    nodes = {comment.pk: {"comment": comment, "replies": []} for comment in comments}
    roots = []
    for comment in comments:
        if comment.parent_id is None:
            roots.append(nodes[comment.pk])
        elif comment.parent_id in nodes:
            nodes[comment.parent_id]["replies"].append(nodes[comment.pk])
    return roots


def proposal_stance_counts(*, proposal: Proposal) -> dict[str, int]:
    rows = ProposalComment.objects.filter(proposal=proposal, is_hidden=False).values("stance").annotate(n=Count("id"))
    counts = {"for": 0, "neutral": 0, "against": 0}
    counts.update({row["stance"]: row["n"] for row in rows})
    return counts


def proposal_alternatives(*, proposal: Proposal) -> QuerySet[ExpertAlternative]:
    return ExpertAlternative.objects.filter(proposal=proposal, is_hidden=False).select_related("author")


def proposal_obligations(*, proposal: Proposal) -> QuerySet[Obligation]:
    return Obligation.objects.filter(proposal=proposal)


def government_obligations(*, government: Area, now: datetime | None = None) -> list[Obligation]:
    """The government's obligations still to meet (public proposals, examples included and marked), soonest first."""
    return list(
        Obligation.objects.filter(proposal__local_government=government, proposal__is_hidden=False, closed_at__isnull=True)
        .select_related("proposal").order_by("due_at")
    )


def obligations_overdue(*, now: datetime | None = None) -> QuerySet[Obligation]:
    now = now or timezone.now()
    return Obligation.objects.filter(overdue_obligations_q(now), proposal__is_example=False)


def proposal_timeline(*, proposal: Proposal) -> list[dict]:
    """Everything that happened to a proposal, oldest first: filed, thresholds crossed, answers, milestones."""
    entries = [{"at": proposal.created_at, "kind": "created", "proposal": proposal}]
    entries += [{"at": o.created_at, "kind": "obligation", "obligation": o} for o in proposal.obligations.all()]
    entries += [{"at": a.created_at, "kind": "answer", "answer": a} for a in Answer.objects.filter(proposal=proposal)]
    entries += [{"at": m.created_at, "kind": "milestone", "milestone": m} for m in proposal.milestones.all()]
    order = {"created": 0, "obligation": 1, "answer": 2, "milestone": 3}
    return sorted(entries, key=lambda e: (e["at"], order[e["kind"]]))


def obligation_status(*, obligation: Obligation, now: datetime | None = None) -> dict:
    """What the pages show of an obligation: its state, its due date, whole days left or overdue."""
    now = now or timezone.now()
    state = obligation.state(now)
    today = timezone.localtime(now).date()
    due_day = timezone.localtime(obligation.due_at).date()
    return {
        "obligation": obligation, "state": state, "due_at": obligation.due_at,
        "days_left": max((due_day - today).days, 0) if state in (Obligation.State.OPEN, Obligation.State.UNDER_REVIEW) else None,
        "days_overdue": max((today - due_day).days, 0) if state == Obligation.State.OVERDUE else None,
    }
