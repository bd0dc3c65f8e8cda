"""Residents' proposal pages (phone-first) and the government's answer and settings pages. Thin: one
service call per action; a refused action shows the service's message beside the form, with its status."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from geodata.selectors import area_code_today, local_government_get
from moderation.selectors import moderation_can_hide
from moderation.services import content_flag, content_hide
from proposals.forms import (
    AlternativeForm,
    AnswerForm,
    CommentForm,
    FlagForm,
    HideForm,
    MilestoneForm,
    ProposalForm,
    SettingsForm,
)
from proposals.models import ExpertAlternative, Milestone, Proposal, ProposalComment, Stance
from proposals.selectors import (
    obligation_status,
    proposal_alternatives,
    proposal_comment_tree,
    proposal_eligibility,
    proposal_get,
    proposal_has_supported,
    proposal_list,
    proposal_obligations,
    proposal_settings_get,
    proposal_stance_counts,
    proposal_thresholds,
    proposal_timeline,
)
from proposals.services import (
    ANSWER_ROLES,
    EXPERT_ROLES,
    SETTINGS_ROLES,
    milestone_update,
    proposal_alternative_create,
    proposal_answer,
    proposal_comment,
    proposal_create,
    proposal_settings_set,
    proposal_support,
)
from residency.eligibility import eligibility_check, eligibility_describe
from staff.selectors import staff_roles


def _proposal(proposal_id: int) -> Proposal:
    proposal = proposal_get(pk=proposal_id)
    if proposal is None:
        raise Http404(_("No such proposal."))
    return proposal


def proposal_index(request):
    government = None
    if code := request.GET.get("government", "").strip():
        government = local_government_get(code=code)
    status = request.GET.get("status") if request.GET.get("status") in Proposal.Status.values else None
    proposals = proposal_list(government=government, status=status, query=request.GET.get("q", "").strip()[:100])
    page = Paginator(proposals, 20).get_page(request.GET.get("page"))
    return render(request, "proposals/index.html", {"page": page, "government": government, "status": status, "statuses": Proposal.Status.choices})


def proposal_new(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form = ProposalForm(request.POST or None)
    error, status = None, 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = proposal_create(author=request.user, title=data["title"], body=data["body"], lon=data["lon"], lat=data["lat"], report_ids=form.report_ids())
        except DomainError as exc:
            error, status = exc, exc.http_status
            for field, problems in exc.fields.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("Your proposal is published. Share it: supports oblige an answer."))
            return redirect("proposals:detail", proposal.pk)
    elif request.method == "POST":
        status = 400
    return render(request, "proposals/new.html", {"form": form, "error": error}, status=status)


def _detail_context(request, proposal: Proposal, **extra) -> dict:
    now = timezone.now()
    user = request.user
    roles = staff_roles(user=user, government_id=proposal.local_government_id)
    can_support, why_not = False, ""
    if not proposal.is_closed:
        try:
            eligibility_check(eligibility=proposal_eligibility(government=proposal.local_government), user=user)
            can_support = True
        except DomainError as exc:
            why_not = exc.message
    eligibility = proposal_eligibility(government=proposal.local_government)
    return {
        "proposal": proposal, "now": now,
        "obligations": [obligation_status(obligation=o, now=now) for o in proposal_obligations(proposal=proposal)],
        "thresholds": proposal_thresholds(government=proposal.local_government),
        "timeline": proposal_timeline(proposal=proposal),
        "comments": proposal_comment_tree(proposal=proposal), "stances": proposal_stance_counts(proposal=proposal),
        "alternatives": proposal_alternatives(proposal=proposal),
        "reports": proposal.reports.public().select_related("category"),
        "supported": proposal_has_supported(proposal=proposal, user=user), "can_support": can_support, "why_not": why_not,
        "eligibility": eligibility_describe(eligibility=eligibility, areas=[proposal.local_government]),
        "stance_choices": Stance.choices, "comment_form": CommentForm(), "alternative_form": AlternativeForm(), "flag_form": FlagForm(), "hide_form": HideForm(),
        "is_expert": bool(roles & EXPERT_ROLES), "can_answer": bool(roles & ANSWER_ROLES),
        "can_moderate": moderation_can_hide(user=user, item=proposal) if user.is_authenticated else False,
        **extra,
    }


def proposal_detail(request, proposal_id: int):
    proposal = _proposal(proposal_id)
    return render(request, "proposals/detail.html", _detail_context(request, proposal))


def _refused(request, proposal: Proposal, exc: DomainError, **extra):
    return render(request, "proposals/detail.html", _detail_context(request, proposal, error=exc, **extra), status=exc.http_status)


@require_POST
def proposal_support_view(request, proposal_id: int):
    proposal = _proposal(proposal_id)
    if not request.user.is_authenticated:
        return redirect_to_login(request.path.replace("support/", ""))
    try:
        proposal_support(proposal=proposal, user=request.user)
    except DomainError as exc:
        return _refused(request, proposal, exc)
    messages.success(request, _("Thank you: your support is counted."))
    return redirect("proposals:detail", proposal.pk)


@require_POST
def comment_create(request, proposal_id: int):
    proposal = _proposal(proposal_id)
    if not request.user.is_authenticated:
        return redirect_to_login(f"/proposals/{proposal.pk}/")
    form = CommentForm(request.POST)
    if not form.is_valid():
        error = DomainError("invalid_comment", _("Write a comment and choose your stance: for, neutral or against."), form.errors.get_json_data())
        return _refused(request, proposal, error, comment_form=form)
    parent = None
    if form.cleaned_data.get("parent"):
        parent = ProposalComment.objects.filter(pk=form.cleaned_data["parent"]).first()
        if parent is None:
            return _refused(request, proposal, DomainError("invalid_comment", _("The comment you reply to is not on this proposal.")), comment_form=form)
    try:
        comment = proposal_comment(proposal=proposal, author=request.user, body=form.cleaned_data["body"], stance=form.cleaned_data["stance"], parent=parent)
    except DomainError as exc:
        return _refused(request, proposal, exc, comment_form=form)
    return redirect(f"/proposals/{proposal.pk}/#comment-{comment.pk}")


@require_POST
def alternative_create(request, proposal_id: int):
    proposal = _proposal(proposal_id)
    if not request.user.is_authenticated:
        return redirect_to_login(f"/proposals/{proposal.pk}/")
    form = AlternativeForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("invalid_proposal", _("Give the alternative a title and a description."))
        proposal_alternative_create(proposal=proposal, author=request.user, title=form.cleaned_data["title"], body=form.cleaned_data["body"])
    except DomainError as exc:
        return _refused(request, proposal, exc, alternative_form=form)
    return redirect(f"/proposals/{proposal.pk}/#alternatives")


def _item(proposal: Proposal, kind: str, item_id: int):
    models = {"proposal": Proposal, "comment": ProposalComment, "alternative": ExpertAlternative}
    if kind not in models:
        raise Http404
    if kind == "proposal":
        if item_id != proposal.pk:
            raise Http404
        return proposal
    return get_object_or_404(models[kind], pk=item_id, proposal=proposal, is_hidden=False)


@require_POST
def flag(request, proposal_id: int, kind: str, item_id: int):
    proposal = _proposal(proposal_id)
    if not request.user.is_authenticated:
        return redirect_to_login(f"/proposals/{proposal.pk}/")
    item = _item(proposal, kind, item_id)
    form = FlagForm(request.POST)
    try:
        content_flag(item=item, user=request.user, reason=form.data.get("reason", ""))
    except DomainError as exc:
        return _refused(request, proposal, exc)
    messages.success(request, _("Thank you: the moderators will look at it."))
    return redirect("proposals:detail", proposal.pk)


@require_POST
def hide(request, proposal_id: int, kind: str, item_id: int):
    proposal = _proposal(proposal_id)
    if not request.user.is_authenticated:
        return redirect_to_login(f"/proposals/{proposal.pk}/")
    item = _item(proposal, kind, item_id)
    try:
        content_hide(item=item, actor=request.user, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        return _refused(request, proposal, exc)
    messages.success(request, _("Hidden; the reason is kept in the audit trail."))
    return redirect("proposals:index" if kind == "proposal" else "proposals:detail", *([] if kind == "proposal" else [proposal.pk]))


def _staff_page(request, proposal: Proposal, form=None, error=None, status=200):
    now = timezone.now()
    return render(request, "proposals/answer.html", {
        "proposal": proposal, "form": form or AnswerForm(), "error": error, "milestone_form": MilestoneForm(),
        "obligations": [obligation_status(obligation=o, now=now) for o in proposal_obligations(proposal=proposal)],
        "timeline": proposal_timeline(proposal=proposal), "milestones": proposal.milestones.all(),
    }, status=status)


def answer(request, proposal_id: int):
    proposal = _proposal(proposal_id)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not staff_roles(user=request.user, government_id=proposal.local_government_id) & ANSWER_ROLES:
        raise Http404
    if request.method != "POST":
        return _staff_page(request, proposal)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _staff_page(request, proposal, form, DomainError("invalid_answer", _("Please correct the highlighted fields.")), 400)
    data = form.cleaned_data
    try:
        proposal_answer(proposal=proposal, actor=request.user, kind=data["kind"], text=data["text"], next_date=data.get("next_date"),
                        policy_title=data.get("policy_title", ""), milestones=form.milestone_rows())
    except DomainError as exc:
        for field, problems in exc.fields.items():
            form.add_error(field if field in form.fields else None, problems)
        return _staff_page(request, proposal, form, exc, exc.http_status)
    messages.success(request, _("The answer is published in the proposal's timeline."))
    return redirect("proposals:detail", proposal.pk)


@require_POST
def milestone(request, milestone_id: int):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    item = get_object_or_404(Milestone.objects.select_related("proposal"), pk=milestone_id)
    proposal = _proposal(item.proposal_id)
    try:
        milestone_update(milestone=item, actor=request.user, progress=request.POST.get("progress"), note=request.POST.get("note", ""))
    except DomainError as exc:
        if exc.code == "permission_denied":
            raise Http404 from exc
        return _staff_page(request, proposal, error=exc, status=exc.http_status)
    messages.success(request, _("Progress saved."))
    return redirect("proposals:staff-answer", proposal.pk)


def government_settings(request, code: str):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    government = local_government_get(code=code)
    if government is None and (today := area_code_today(code=code)):
        return redirect("proposals:settings", code=today, permanent=True)
    if government is None or not staff_roles(user=request.user, government_id=government.pk) & SETTINGS_ROLES:
        raise Http404
    current = proposal_settings_get(government=government)
    initial = {name: getattr(current, name) for name in SettingsForm.base_fields}
    form = SettingsForm(request.POST or None, initial=initial)
    error, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            try:
                proposal_settings_set(actor=request.user, government=government, **form.cleaned_data)
            except DomainError as exc:
                error, status = exc, exc.http_status
                for field, problems in exc.fields.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                messages.success(request, _("Saved. New thresholds apply from the next support."))
                return redirect("proposals:settings", code=government.code)
        else:
            status = 400
    return render(request, "proposals/settings.html", {"government": government, "form": form, "error": error}, status=status)
