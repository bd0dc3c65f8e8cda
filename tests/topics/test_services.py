"""Topics, statements and votes through the services: moderation first, one changeable vote per
person, the fair order, and every bad input refused with nothing changed."""

from __future__ import annotations

import pytest
from procrastinate.contrib.django import app

from core.errors import DomainError
from moderation.models import AccountBlock
from moderation.services import content_hide
from residency.eligibility import Rule
from staff.models import StaffRole
from tests.topics.factories import area, dong, make_topic, officer, resident, shown_statement
from topics.models import Statement, Topic, TopicResult, Vote
from topics.selectors import statement_next, statements_shown, topic_result
from topics.services import (
    statement_moderate,
    statement_submit,
    statement_vote,
    topic_open,
    topic_recompute,
    topics_recompute_dirty,
)

pytestmark = pytest.mark.django_db


def refused(code: str, call, **kwargs):
    with pytest.raises(DomainError) as caught:
        call(**kwargs)
    assert caught.value.code == code, caught.value.message
    assert caught.value.message
    return caught.value


def test_staff_open_topics_of_their_government_only():
    staff = officer()
    topic = topic_open(actor=staff, government=area("11010"), title="공원 이용 규칙", statements=["반려견 출입을 허용해야 한다"])
    assert topic.statements.get().status == Statement.Status.SHOWN
    refused("permission_denied", topic_open, actor=resident(), government=area("11010"), title="x")
    refused("permission_denied", topic_open, actor=staff, government=area("21090"), title="x")
    refused("invalid_topic", topic_open, actor=staff, government=area("11010"), title="x", statements=["가" * 141])
    refused("invalid_topic", topic_open, actor=staff, government=area("11010"), title="x", eligibility_rule=Rule.RESIDENTS)
    assert Topic.objects.count() == 1


def test_a_statement_waits_for_the_moderators_before_it_is_shown():
    topic = make_topic(statements=())
    author = resident()
    statement = statement_submit(topic=topic, user=author, text="  <b>자전거 도로</b>를 만들자 ")
    assert statement.text == "자전거 도로를 만들자" and statement.status == Statement.Status.PENDING
    assert not statements_shown(topic=topic).exists()
    refused("permission_denied", statement_moderate, actor=officer(StaffRole.Role.STAFF), statement=statement, decision="show")
    refused("reason_required", statement_moderate, actor=officer(StaffRole.Role.MODERATOR), statement=statement, decision="reject")
    statement_moderate(actor=officer(StaffRole.Role.MODERATOR), statement=statement, decision="show")
    assert list(statements_shown(topic=topic)) == [statement]
    refused("invalid_decision", statement_moderate, actor=officer(StaffRole.Role.MODERATOR), statement=statement, decision="reject", reason="x")


def test_statements_over_140_characters_blank_or_repeated_are_refused_and_nothing_is_saved():
    topic = make_topic()
    user = resident()
    error = refused("invalid_statement", statement_submit, topic=topic, user=user, text="가" * 141)
    assert "140" in error.message and "text" in error.fields
    refused("invalid_statement", statement_submit, topic=topic, user=user, text="   ")
    refused("invalid_statement", statement_submit, topic=topic, user=user, text="버스 노선을 늘려야 한다")
    assert statement_submit(topic=topic, user=user, text="가" * 140).text == "가" * 140
    assert Statement.objects.filter(topic=topic).count() == 3


def test_one_vote_per_person_and_statement_changeable_and_the_map_marked_for_recompute():
    topic = make_topic()
    first = topic.statements.first()
    user = resident()
    statement_vote(statement=first, user=user, vote="agree")
    statement_vote(statement=first, user=user, vote="disagree")
    vote = Vote.objects.get()
    assert vote.value == Vote.Value.DISAGREE and len(vote.participant_key) == 64
    topic.refresh_from_db()
    assert topic.needs_recompute and topic.votes_version == 2
    assert topics_recompute_dirty() == 1
    topic.refresh_from_db()
    assert not topic.needs_recompute and topic_result(topic=topic).voters == 1
    assert topics_recompute_dirty() == 0


def test_votes_on_pending_rejected_or_hidden_statements_are_refused():
    topic = make_topic(statements=())
    moderator = officer(StaffRole.Role.MODERATOR)
    pending = statement_submit(topic=topic, user=resident(), text="가로등을 늘리자")
    rejected = statement_moderate(
        actor=moderator, statement=statement_submit(topic=topic, user=resident(), text="광고입니다"), decision="reject", reason="광고",
    )
    hidden = shown_statement(topic, "쓰레기통을 늘리자", moderator=moderator)
    content_hide(item=hidden, actor=moderator, reason="욕설")
    voter = resident()
    for statement in (pending, rejected, hidden):
        refused("statement_not_votable", statement_vote, statement=statement, user=voter, vote="agree")
    assert not Vote.objects.exists()
    topic.refresh_from_db()
    assert topic.needs_recompute  # the hide marks the map for recompute


def test_ineligible_blocked_and_bad_votes_are_refused_and_change_nothing():
    cheongun = dong("청운효자동")
    topic = make_topic(eligibility_rule=Rule.RESIDENTS, areas=[cheongun])
    statement = topic.statements.first()
    refused("not_eligible", statement_vote, statement=statement, user=resident(dong("사직동")), vote="agree")
    refused("not_eligible", statement_submit, topic=topic, user=resident(), text="새 의견")
    refused("permission_denied", statement_vote, statement=statement, user=None, vote="agree")
    blocked = resident(cheongun)
    AccountBlock.objects.create(user=blocked, reason="3 posts hidden")
    refused("account_blocked", statement_vote, statement=statement, user=blocked, vote="agree")
    refused("account_blocked", statement_submit, topic=topic, user=blocked, text="새 의견")
    refused("invalid_vote", statement_vote, statement=statement, user=resident(cheongun), vote="yes")
    Topic.objects.filter(pk=topic.pk).update(is_open=False)
    refused("topic_closed", statement_vote, statement=statement, user=resident(cheongun), vote="agree")
    assert not Vote.objects.exists() and Statement.objects.filter(topic=topic).count() == 2


def test_the_next_statement_is_the_least_voted_then_the_oldest():
    topic = make_topic(statements=("하나", "둘", "셋"))
    one, two, three = topic.statements.order_by("id")
    alice, bob = resident(), resident()
    assert statement_next(topic=topic, key=None) == one
    statement_vote(statement=one, user=bob, vote="agree")
    statement_vote(statement=two, user=bob, vote="pass")
    # For alice: two and three are unvoted by her; three has fewer votes.
    from topics.selectors import participant_key

    key = participant_key(topic=topic, identity=f"user:{alice.pk}")
    assert statement_next(topic=topic, key=key) == three
    statement_vote(statement=three, user=alice, vote="agree")
    assert statement_next(topic=topic, key=key) == one  # one and two both have one vote: the oldest
    for statement in (one, two):
        statement_vote(statement=statement, user=alice, vote="disagree")
    assert statement_next(topic=topic, key=key) is None


def test_the_worker_recomputes_two_camps_into_two_groups_with_their_common_ground():
    statements = [f"A 진영 의견 {n}" for n in range(4)] + [f"B 진영 의견 {n}" for n in range(4)] + ["모두 동의하는 의견"]
    topic = make_topic(statements=statements)
    ids = list(topic.statements.order_by("id").values_list("id", flat=True))
    camps = {}
    for n in range(16):
        user = resident()
        camp = n % 2
        camps[user.pk] = camp
        for index, sid in enumerate(ids):
            if index == 8:
                value = "agree"
            else:
                value = "agree" if (index < 4) == (camp == 0) else "disagree"
            if (n + index) % 7 == 0:
                value = "pass"
            statement_vote(statement=Statement.objects.get(pk=sid), user=user, vote=value)
    app.tasks["notifications.recompute_opinion_maps"].func(timestamp=0)  # what the worker runs every minute
    result = TopicResult.objects.get(topic=topic)
    assert result.participants == 16 and [group["size"] for group in result.groups] == [8, 8]
    assert result.common_ground == [ids[8]]
    assert len(result.positions) == 16 and all(len(point) == 3 for point in result.positions)
    assert {point[2] for point in result.positions} == {0, 1}
    # Recomputing the same votes gives the same stored map.
    before = (result.positions, result.groups, result.consensus)
    again = topic_recompute(topic=topic)
    assert (again.positions, again.groups, again.consensus) == before


def test_a_topic_on_a_proposal_belongs_to_its_government_and_links_to_it(client):
    from tests.proposals.factories import make_proposal

    proposal = make_proposal()
    staff = officer()
    topic = topic_open(actor=staff, title="이 제안의 쟁점", proposal=proposal, statements=["좋은 제안이다"])
    assert topic.proposal == proposal and topic.local_government_id == proposal.local_government_id
    page = client.get(f"/topics/{topic.pk}/").content.decode()
    assert f'href="/proposals/{proposal.pk}/"' in page
    busan_staff = officer(government="21090")
    refused("permission_denied", topic_open, actor=busan_staff, title="x", proposal=proposal)
