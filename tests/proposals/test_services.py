"""Proposals with a frozen clock: filing, supports under the government's rule, the threshold →
obligation → overdue path, answers, comments up to depth 3, experts' alternatives, and refusals
that change nothing."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from core.errors import DomainError, ErrorCode
from moderation.services import content_hide
from notifications.models import OutboundMessage
from proposals.models import Answer, Milestone, Obligation, Proposal, ProposalComment, ProposalSupport
from proposals.selectors import (
    government_obligations,
    obligations_overdue,
    proposal_comment_tree,
    proposal_thresholds,
    proposal_timeline,
)
from proposals.services import (
    milestone_update,
    proposal_alternative_create,
    proposal_answer,
    proposal_comment,
    proposal_create,
    proposal_settings_set,
    proposal_support,
)
from staff.models import StaffRole
from tests.factories import HAEUNDAE, JONGNO, SEA_EAST_OF_ULSAN, UserFactory, make_report
from tests.polls.factories import NOW, SEOUL, area, dong, resident
from tests.proposals.factories import jongno_resident, make_proposal, small_thresholds, staff_member

pytestmark = pytest.mark.django_db


def end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=SEOUL)


def _snapshot(proposal):
    proposal = Proposal.objects.get(pk=proposal.pk)
    return (
        proposal.status, proposal.support_count, ProposalSupport.objects.count(), Obligation.objects.count(),
        Answer.objects.count(), ProposalComment.objects.count(), list(Obligation.objects.values_list("due_at", "marked_overdue_at", "closed_at")),
    )


def test_defaults_come_from_settings_and_administrators_set_their_own(settings):
    jongno = area("11010")
    assert [(t.level, t.supports, t.days) for t in proposal_thresholds(government=jongno)] == [
        ("department", 50, 30), ("forum", 100, 60), ("head", 1000, 30)]
    with pytest.raises(DomainError) as caught:  # staff are not administrators
        proposal_settings_set(actor=staff_member(), government=jongno, eligibility_rule="residents", department_supports=2,
                              department_days=30, forum_supports=3, forum_days=60, head_supports=5, head_days=30)
    assert caught.value.code == ErrorCode.PERMISSION_DENIED
    admin = staff_member(role=StaffRole.Role.ADMINISTRATOR)
    with pytest.raises(DomainError) as caught:
        proposal_settings_set(actor=admin, government=jongno, eligibility_rule="residents", department_supports=20,
                              department_days=0, forum_supports=10, forum_days="x", head_supports=5, head_days=30)
    assert caught.value.code == ErrorCode.INVALID_THRESHOLDS
    assert set(caught.value.fields) == {"department_days", "forum_days"}
    with pytest.raises(DomainError) as caught:
        proposal_settings_set(actor=admin, government=jongno, eligibility_rule="residents", department_supports=20,
                              department_days=30, forum_supports=10, forum_days=60, head_supports=5, head_days=30)
    assert "forum_supports" in caught.value.fields
    assert proposal_thresholds(government=jongno)[0].supports == 50  # nothing saved
    small_thresholds()
    assert [(t.supports, t.days) for t in proposal_thresholds(government=jongno)] == [(2, 30), (3, 60), (5, 30)]
    assert proposal_thresholds(government=area("21090"))[0].supports == 50


def test_a_proposal_is_routed_by_its_point_or_sent_to_the_province_around_it():
    report = make_report(at=JONGNO)
    proposal = make_proposal(report_ids=[report.pk])
    assert proposal.local_government.code == "11010" and list(proposal.reports.all()) == [report]
    assert make_proposal(government="11").local_government.code == "11"  # 서울특별시 holds the point too
    with pytest.raises(DomainError) as caught:
        make_proposal(government="21090")
    assert caught.value.code == ErrorCode.INVALID_PROPOSAL and "local_government" in caught.value.fields
    with pytest.raises(DomainError) as caught:
        make_proposal(at=SEA_EAST_OF_ULSAN)
    assert "location" in caught.value.fields
    busan_report = make_report(at=HAEUNDAE)
    with pytest.raises(DomainError) as caught:
        make_proposal(report_ids=[busan_report.pk, 987654321])
    assert "reports" in caught.value.fields
    with pytest.raises(DomainError) as caught:
        make_proposal(report_ids=[busan_report.pk])
    assert "reports" in caught.value.fields
    with pytest.raises(DomainError) as caught:
        make_proposal(title="<b></b>", body=" ")
    assert set(caught.value.fields) == {"title", "body"}
    assert Proposal.objects.count() == 2


def test_threshold_obligation_countdown_and_overdue_with_a_frozen_clock(mailoutbox):
    small_thresholds()
    officer = staff_member(email="officer@jongno.go.kr")
    proposal = make_proposal()
    mailoutbox.clear()
    proposal_support(proposal=proposal, user=jongno_resident(), now=NOW)
    assert Obligation.objects.count() == 0
    crossing = NOW + timedelta(hours=5)
    proposal_support(proposal=proposal, user=jongno_resident(), now=crossing)
    [obligation] = Obligation.objects.all()
    deadline = end_of(date(2026, 7, 2))  # 30 days after 2026-06-02, to the end of that day in Korea
    assert (obligation.level, obligation.threshold, obligation.created_at, obligation.deadline) == ("department", 2, crossing, deadline)
    # The email to the government's staff was queued in the support's transaction.
    assert OutboundMessage.objects.filter(to__contains=["officer@jongno.go.kr"]).exists()
    [email] = [m for m in mailoutbox if "officer@jongno.go.kr" in m.to]
    assert f"/proposals/{proposal.pk}/" in email.body and "2" in email.subject

    assert obligation.state(now=crossing) == "open"
    assert obligation.state(now=deadline) == "open"
    assert obligation.state(now=deadline + timedelta(seconds=1)) == "overdue"
    assert list(obligations_overdue(now=deadline)) == []
    assert list(obligations_overdue(now=deadline + timedelta(seconds=1))) == [obligation]
    assert government_obligations(government=area("11010")) == [obligation]

    # The third support crosses the forum's threshold: a second obligation, 60 days.
    proposal_support(proposal=proposal, user=jongno_resident(), now=crossing + timedelta(days=1))
    assert list(Obligation.objects.values_list("level", flat=True)) == ["department", "forum"]
    assert Proposal.objects.get(pk=proposal.pk).support_count == 3

    # Under review with a next date stops the clock and moves both deadlines.
    review_at = deadline - timedelta(days=1)
    proposal_answer(proposal=proposal, actor=officer, kind="under_review", text="검토 중입니다.", next_date=date(2026, 8, 1), now=review_at)
    for obligation in Obligation.objects.all():
        assert obligation.due_at == end_of(date(2026, 8, 1)) and obligation.met_at == review_at
        assert obligation.state(now=deadline + timedelta(days=1)) == "under_review"
        assert obligation.state(now=end_of(date(2026, 8, 1)) + timedelta(seconds=1)) == "overdue"
    # A second "under review" without a date counts as overdue at once.
    again = review_at + timedelta(days=2)
    proposal_answer(proposal=proposal, actor=officer, kind="under_review", text="계속 검토 중입니다.", now=again)
    assert all(o.state(now=again) == "overdue" for o in Obligation.objects.all())
    assert obligations_overdue(now=again).count() == 2

    # Accepted: obligations closed, the policy's milestones, progress; then no more answers or supports.
    accepted = again + timedelta(days=1)
    proposal_answer(proposal=proposal, actor=officer, kind="accepted", text="받아들입니다.", policy_title="골목 조명 개선 사업",
                    milestones=[{"title": "설계", "due_date": "2026-09-01"}, {"title": "설치"}], now=accepted)
    proposal.refresh_from_db()
    assert proposal.status == "accepted"
    assert all(o.state(now=accepted) == "answered" for o in Obligation.objects.all())
    assert obligations_overdue(now=accepted).count() == 0
    design = Milestone.objects.get(title="설계")
    milestone_update(milestone=design, actor=officer, progress=40, note="설계 업체 선정", now=accepted + timedelta(days=3))
    assert Milestone.objects.get(pk=design.pk).progress == 40
    assert [e["kind"] for e in proposal_timeline(proposal=proposal)] == [
        "created", "obligation", "obligation", "answer", "answer", "answer", "milestone", "milestone"]
    answered = [m for m in mailoutbox if f"#{proposal.pk}" in m.subject and proposal.author.email in m.to]
    assert len(answered) == 3  # the author heard of each answer (and so did the supporters)
    before = _snapshot(proposal)
    for kind in ("declined", "under_review", "accepted"):
        with pytest.raises(DomainError) as caught:
            proposal_answer(proposal=proposal, actor=officer, kind=kind, text="다시", policy_title="x", now=accepted)
        assert caught.value.code == ErrorCode.PROPOSAL_CLOSED and caught.value.http_status == 409
    with pytest.raises(DomainError) as caught:
        proposal_support(proposal=proposal, user=jongno_resident(), now=accepted)
    assert caught.value.code == ErrorCode.PROPOSAL_CLOSED
    assert _snapshot(proposal) == before


def test_an_undated_first_review_does_not_stop_the_clock_and_a_decline_needs_a_reason():
    small_thresholds(department=(1, 30))
    officer = staff_member()
    proposal = make_proposal()
    proposal_support(proposal=proposal, user=jongno_resident(), now=NOW)
    [obligation] = Obligation.objects.all()
    proposal_answer(proposal=proposal, actor=officer, kind="under_review", text="검토하겠습니다.", now=NOW + timedelta(days=1))
    obligation.refresh_from_db()
    assert obligation.state(now=NOW + timedelta(days=2)) == "open"
    assert obligation.state(now=obligation.deadline + timedelta(seconds=1)) == "overdue"
    for bad, field in (({"kind": "maybe"}, "kind"), ({"kind": "declined", "text": " "}, "text"),
                       ({"kind": "accepted", "policy_title": ""}, "policy_title"),
                       ({"kind": "under_review", "next_date": date(2026, 5, 1)}, "next_date")):
        arguments = {"proposal": proposal, "actor": officer, "text": "답변", "now": NOW + timedelta(days=2), **bad}
        with pytest.raises(DomainError) as caught:
            proposal_answer(**arguments)
        assert caught.value.code == ErrorCode.INVALID_ANSWER and field in caught.value.fields
    with pytest.raises(DomainError) as caught:
        proposal_answer(proposal=proposal, actor=staff_member("21090"), kind="declined", text="아니요")
    assert caught.value.code == ErrorCode.PERMISSION_DENIED
    proposal_answer(proposal=proposal, actor=officer, kind="declined", text="예산이 없습니다.", now=NOW + timedelta(days=3))
    assert Proposal.objects.get(pk=proposal.pk).status == "declined"
    assert Obligation.objects.get().met_at == NOW + timedelta(days=3)


def test_supports_by_ineligible_accounts_and_second_supports_are_refused_and_change_nothing():
    small_thresholds(department=(1, 30))
    proposal = make_proposal()
    supporter = jongno_resident()
    proposal_support(proposal=proposal, user=supporter, now=NOW)
    before = _snapshot(proposal)
    cases = [
        (supporter, ErrorCode.ALREADY_SUPPORTED),
        (resident(dong("우1동", "21090")), ErrorCode.NOT_ELIGIBLE),  # lives in Busan
        (UserFactory(), ErrorCode.NOT_ELIGIBLE),  # declared nowhere
    ]
    from django.contrib.auth.models import AnonymousUser

    cases.append((AnonymousUser(), ErrorCode.PERMISSION_DENIED))
    for user, code in cases:
        with pytest.raises(DomainError) as caught:
            proposal_support(proposal=proposal, user=user, now=NOW)
        assert caught.value.code == code, user
        assert caught.value.message
    assert _snapshot(proposal) == before


def test_the_government_may_open_supports_to_anyone_signed_in():
    small_thresholds(rule="signed_in")
    proposal = make_proposal()
    proposal_support(proposal=proposal, user=UserFactory(), now=NOW)
    assert Proposal.objects.get(pk=proposal.pk).support_count == 1


def test_comments_thread_three_deep_with_a_stance():
    proposal = make_proposal()
    first = proposal_comment(proposal=proposal, author=UserFactory(), body="좋아요", stance="for", now=NOW)
    second = proposal_comment(proposal=proposal, author=UserFactory(), body="예산은?", stance="neutral", parent=first, now=NOW)
    third = proposal_comment(proposal=proposal, author=UserFactory(), body="반대", stance="against", parent=second, now=NOW)
    assert (first.depth, second.depth, third.depth) == (1, 2, 3)
    before = _snapshot(proposal)
    with pytest.raises(DomainError) as caught:
        proposal_comment(proposal=proposal, author=UserFactory(), body="더 깊이", stance="for", parent=third, now=NOW)
    assert caught.value.code == ErrorCode.COMMENT_TOO_DEEP
    with pytest.raises(DomainError) as caught:
        proposal_comment(proposal=proposal, author=UserFactory(), body="무엇", stance="maybe", now=NOW)
    assert caught.value.code == ErrorCode.INVALID_COMMENT and "stance" in caught.value.fields
    with pytest.raises(DomainError) as caught:
        proposal_comment(proposal=make_proposal(), author=UserFactory(), body="엉뚱한 곳", stance="for", parent=first, now=NOW)
    assert "parent" in caught.value.fields
    assert _snapshot(proposal) == before
    [root] = proposal_comment_tree(proposal=proposal)
    assert root["comment"] == first and root["replies"][0]["replies"][0]["comment"] == third


def test_posting_while_blocked_is_refused(settings):
    settings.MODERATION_BLOCK_AFTER_HIDDEN = 1
    author = UserFactory()
    proposal = make_proposal(author=author)
    content_hide(item=proposal, actor=staff_member(role=StaffRole.Role.MODERATOR), reason="욕설", now=timezone.now())
    other = make_proposal()
    before = (Proposal.objects.count(), ProposalComment.objects.count())
    with pytest.raises(DomainError) as caught:
        make_proposal(author=author, now=timezone.now())
    assert caught.value.code == ErrorCode.ACCOUNT_BLOCKED and caught.value.http_status == 403
    with pytest.raises(DomainError) as caught:
        proposal_comment(proposal=other, author=author, body="또", stance="for")
    assert caught.value.code == ErrorCode.ACCOUNT_BLOCKED
    assert (Proposal.objects.count(), ProposalComment.objects.count()) == before


def test_only_the_governments_experts_post_alternatives():
    proposal = make_proposal()
    for outsider in (UserFactory(), staff_member(), staff_member("21090", StaffRole.Role.EXPERT)):
        with pytest.raises(DomainError) as caught:
            proposal_alternative_create(proposal=proposal, author=outsider, title="대안", body="태양광 가로등")
        assert caught.value.code == ErrorCode.PERMISSION_DENIED
    expert = staff_member(role=StaffRole.Role.EXPERT)
    alternative = proposal_alternative_create(proposal=proposal, author=expert, title="대안", body="태양광 가로등")
    assert alternative.proposal == proposal


def test_examples_never_count():
    small_thresholds(department=(1, 30))
    proposal = proposal_create(author=UserFactory(), lon=JONGNO[0], lat=JONGNO[1], title="예시", body="예시", is_example=True, now=NOW)
    proposal_support(proposal=proposal, user=jongno_resident(), now=NOW)
    assert Obligation.objects.count() == 1
    assert obligations_overdue(now=NOW + timedelta(days=60)).count() == 0
