"""Residents' topic pages (phone-first: one statement at a time), the method, and the staff form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.errors import DomainError
from geodata.models import Area
from geodata.selectors import area_get, local_government_get
from moderation.models import FlagReason
from moderation.services import content_flag, content_hide
from proposals.models import Proposal
from residency.eligibility import eligibility_check, eligibility_describe
from staff.selectors import staff_governments, staff_roles
from topics.forms import StatementForm, TopicForm
from topics.models import Statement
from topics.selectors import (
    participant_key,
    statement_get,
    statement_next,
    statements_pending,
    statements_shown,
    topic_get,
    topic_list,
    topic_result,
    votes_of,
)
from topics.services import STATEMENT_MODERATE_ROLES, statement_moderate, statement_submit, statement_vote, topic_open

GROUP_COUNT_COLOURS = 5
MAP_SIZE = 320
MAP_PAD = 12


def topic_index(request):
    governments = list(staff_governments(user=request.user).order_by("code")[:20]) if request.user.is_authenticated else []
    return render(request, "topics/index.html", {"topics": topic_list(), "staff_governments": governments})


def method(request):
    return render(request, "topics/method.html")


def _topic(topic_id: int):
    try:
        return topic_get(topic_id=topic_id)
    except DomainError as exc:
        raise Http404(exc.message) from exc


def opinion_map_points(positions: list) -> list[dict]:
    """Positions (any scale) as SVG coordinates in a MAP_SIZE square, the same scale on both axes.
    People at the same place (identical votes) are one dot, larger with their number."""
    if not positions:
        return []
    xs = [p[0] for p in positions]
    ys = [p[1] for p in positions]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = (MAP_SIZE - 2 * MAP_PAD) / span
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    half = MAP_SIZE / 2
    counts: dict[tuple, int] = {}
    for x, y, g in positions:
        key = (round(half + (x - cx) * scale, 1), round(half - (y - cy) * scale, 1), int(g) % GROUP_COUNT_COLOURS)
        counts[key] = counts.get(key, 0) + 1
    return [
        {"x": x, "y": y, "group": g, "count": n, "r": round(3 + 2 * (n - 1) ** 0.5, 1)}
        for (x, y, g), n in sorted(counts.items(), key=lambda item: -item[1])  # big dots first, small ones on top
    ]


def _results(topic, statements: dict[int, Statement]) -> dict:
    result = topic_result(topic=topic)
    if result is None:
        return {"result": None}
    groups = []
    for number, group in enumerate(result.groups):
        reps = []
        for rep in group["representative"]:
            statement = statements.get(rep["statement"])
            if statement is None:  # hidden since the last recompute
                continue
            agree, disagree, seen = group["votes"].get(str(rep["statement"]), [0, 0, 0])
            reps.append({"statement": statement, "direction": rep["direction"], "agree": agree, "disagree": disagree, "seen": seen,
                         "percent": round(100 * (agree if rep["direction"] == "agree" else disagree) / seen) if seen else 0})
        groups.append({"number": number + 1, "colour": number % GROUP_COUNT_COLOURS, "size": group["size"], "representative": reps})
    common = []
    for sid in result.common_ground:
        statement = statements.get(sid)
        if statement is None:
            continue
        shares = []
        for number, group in enumerate(result.groups):
            agree, _disagree, seen = group["votes"].get(str(sid), [0, 0, 0])
            shares.append({"number": number + 1, "colour": number % GROUP_COUNT_COLOURS, "percent": round(100 * agree / seen) if seen else 0})
        common.append({"statement": statement, "consensus": result.consensus.get(str(sid)), "groups": shares})
    return {"result": result, "groups": groups, "common_ground": common, "points": opinion_map_points(result.positions), "map_size": MAP_SIZE}


def _detail_context(request, topic) -> dict:
    user = request.user
    can_take_part, why_not, key = False, "", None
    if topic.is_open:
        try:
            participant = eligibility_check(eligibility=topic.eligibility(), user=user)
            can_take_part, key = True, participant_key(topic=topic, identity=participant.identity)
        except DomainError as exc:
            why_not = exc.message
    shown = list(statements_shown(topic=topic))
    is_moderator = user.is_authenticated and bool(staff_roles(user=user, government_id=topic.local_government_id) & STATEMENT_MODERATE_ROLES)
    mine = votes_of(topic=topic, key=key)
    return {
        "topic": topic, "can_take_part": can_take_part, "why_not": why_not,
        "next_statement": statement_next(topic=topic, key=key) if can_take_part else None,
        "statements": shown, "voted": len(mine), "my_votes": mine,
        "eligibility": eligibility_describe(eligibility=topic.eligibility(), areas=list(topic.areas.all())),
        "statement_form": StatementForm(), "is_moderator": is_moderator, "flag_reasons": FlagReason.choices,
        "pending": list(statements_pending(topic=topic)) if is_moderator else [],
        **_results(topic, {s.pk: s for s in shown}),
    }


def topic_detail(request, topic_id: int):
    topic = _topic(topic_id)
    if request.method != "POST":
        return render(request, "topics/detail.html", _detail_context(request, topic))
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    action = request.POST.get("action")
    extra: dict = {}
    try:
        if action == "vote":
            statement = statement_get(topic=topic, statement_id=request.POST.get("statement"))
            statement_vote(statement=statement, user=request.user, vote=request.POST.get("vote", ""))
            return redirect(f"{request.path}#vote")
        if action == "statement":
            form = StatementForm(request.POST)
            extra["statement_form"] = form
            if form.is_valid():
                statement_submit(topic=topic, user=request.user, text=form.cleaned_data["text"])
                messages.success(request, _("Thank you: your statement is shown once a moderator has read it."))
                return redirect(f"{request.path}#write")
            return render(request, "topics/detail.html", {**_detail_context(request, topic), **extra}, status=400)
        if action in ("show", "reject"):
            statement = statement_get(topic=topic, statement_id=request.POST.get("statement"))
            statement_moderate(actor=request.user, statement=statement, decision=action, reason=request.POST.get("reason", ""))
            return redirect(f"{request.path}#moderation")
        if action == "flag":
            statement = statement_get(topic=topic, statement_id=request.POST.get("statement"))
            content_flag(item=statement, user=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("Thank you: the moderators will look at it."))
            return redirect(f"{request.path}#statements")
        if action == "hide":
            statement = statement_get(topic=topic, statement_id=request.POST.get("statement"))
            content_hide(item=statement, actor=request.user, reason=request.POST.get("reason", ""))
            return redirect(f"{request.path}#statements")
        extra["error"] = _("Unknown action.")
        status = 400
    except DomainError as exc:
        extra["error"], status = exc.message, exc.http_status
        if action == "statement":
            form = extra["statement_form"]
            form.add_error("text", exc.fields.get("text") or exc.message)
    return render(request, "topics/detail.html", {**_detail_context(request, topic), **extra}, status=status)


def _areas(text: str, government: Area) -> tuple[list[Area], list[str]]:
    areas, unknown = [], []
    for part in [p.strip() for p in (text or "").split(",") if p.strip()]:
        found = area_get(code=part)
        if found is None:
            matches = list(Area.objects.current().filter(name=part).filter(Q(local_government=government) | Q(pk=government.pk)))
            found = matches[0] if len(matches) == 1 else None
        (areas.append(found) if found is not None else unknown.append(part))
    return areas, unknown


@login_required
def topic_new(request, code: str):
    government = local_government_get(code=code)
    if government is None or not staff_governments(user=request.user).filter(pk=government.pk).exists():
        raise Http404
    form = TopicForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            areas, unknown = _areas(data["areas"], government)
            proposal = Proposal.objects.filter(pk=data["proposal"], local_government=government).first() if data["proposal"] else None
            if unknown:
                form.add_error("areas", _("Unknown areas: %(areas)s") % {"areas": ", ".join(unknown)})
            elif data["proposal"] and proposal is None:
                form.add_error("proposal", _("No such proposal to this local government."))
            else:
                try:
                    topic = topic_open(
                        actor=request.user, government=government, title=data["title"], description=data["description"],
                        eligibility_rule=data["eligibility_rule"], areas=areas, proposal=proposal,
                        statements=[line for line in data["statements"].splitlines() if line.strip()],
                    )
                    messages.success(request, _("The topic is open."))
                    return redirect("topics:detail", topic.pk)
                except DomainError as exc:
                    for field, errors in exc.fields.items():
                        form.add_error(field if field in form.fields else None, errors)
                    if not exc.fields:
                        form.add_error(None, exc.message)
    return render(request, "topics/new.html", {"government": government, "form": form}, status=status)
