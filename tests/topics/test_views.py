"""The topic pages: vote one statement at a time, write one, moderate, the SVG map, the method."""

from __future__ import annotations

import re

import pytest

from staff.models import StaffRole
from tests.topics.factories import make_topic, officer, resident
from topics.models import Statement, Vote
from topics.services import statement_vote, topics_recompute_dirty

pytestmark = pytest.mark.django_db


def test_index_and_method_pages_in_korean_and_english(client):
    topic = make_topic()
    page = client.get("/topics/")
    assert page.status_code == 200 and topic.title in page.content.decode()
    korean = client.get("/topics/method/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "k-means" in korean and "(agree + 1) / (seen + 2)" in korean
    english = client.get("/topics/method/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "silhouette" in english and "min(7" in english


def test_a_resident_votes_statement_after_statement(client):
    topic = make_topic(statements=("하나", "둘"))
    one, two = topic.statements.order_by("id")
    client.force_login(resident())
    page = client.get(f"/topics/{topic.pk}/").content.decode()
    assert 'id="next-statement">하나<' in page
    answer = client.post(f"/topics/{topic.pk}/", {"action": "vote", "statement": one.pk, "vote": "agree"})
    assert answer.status_code == 302 and answer["Location"].endswith("#vote")
    assert 'id="next-statement">둘<' in client.get(f"/topics/{topic.pk}/").content.decode()
    client.post(f"/topics/{topic.pk}/", {"action": "vote", "statement": two.pk, "vote": "pass"})
    assert 'id="all-voted"' in client.get(f"/topics/{topic.pk}/").content.decode()
    assert sorted(Vote.objects.values_list("value", flat=True)) == [0, 1]


def test_bad_input_is_a_clear_message_and_changes_nothing(client):
    topic = make_topic(statements=())
    client.force_login(resident())
    long = client.post(f"/topics/{topic.pk}/", {"action": "statement", "text": "가" * 141})
    assert long.status_code == 400 and "140" in long.content.decode()
    pending = Statement.objects.create(topic=topic, text="대기 중")
    answer = client.post(f"/topics/{topic.pk}/", {"action": "vote", "statement": pending.pk, "vote": "agree"})
    assert answer.status_code == 409 and 'id="topic-error"' in answer.content.decode()
    assert client.post(f"/topics/{topic.pk}/", {"action": "vote", "statement": "x", "vote": "agree"}).status_code == 404
    assert client.post(f"/topics/{topic.pk}/", {"action": "explode"}).status_code == 400
    assert Statement.objects.filter(topic=topic).count() == 1 and not Vote.objects.exists()
    assert client.get("/topics/999999/").status_code == 404


def test_moderators_show_and_hide_statements_from_the_page(client):
    topic = make_topic(statements=())
    author = resident()
    client.force_login(author)
    client.post(f"/topics/{topic.pk}/", {"action": "statement", "text": "공원에 벤치를 놓자"})
    statement = Statement.objects.get(topic=topic)
    assert statement.status == Statement.Status.PENDING
    assert client.post(f"/topics/{topic.pk}/", {"action": "show", "statement": statement.pk}).status_code == 403
    client.force_login(officer(StaffRole.Role.MODERATOR))
    assert "공원에 벤치를 놓자" in client.get(f"/topics/{topic.pk}/").content.decode()  # in the moderation queue
    client.post(f"/topics/{topic.pk}/", {"action": "show", "statement": statement.pk})
    statement.refresh_from_db()
    assert statement.status == Statement.Status.SHOWN
    client.post(f"/topics/{topic.pk}/", {"action": "hide", "statement": statement.pk, "reason": "중복"})
    statement.refresh_from_db()
    assert statement.is_hidden


def test_the_map_is_an_svg_drawn_on_the_server_with_groups_and_common_ground(client):
    statements = [f"A {n}" for n in range(3)] + [f"B {n}" for n in range(3)] + ["모두"]
    topic = make_topic(statements=statements)
    ordered = list(topic.statements.order_by("id"))
    for n in range(10):
        user = resident()
        for index, statement in enumerate(ordered):
            agree = index == 6 or (index < 3) == (n % 2 == 0)
            statement_vote(statement=statement, user=user, vote="agree" if agree else "disagree")
    topics_recompute_dirty()
    page = client.get(f"/topics/{topic.pk}/").content.decode()
    # Two camps voting exactly alike: two dots of five people each, one per group.
    assert re.findall(r'class="(g\d)" data-count="(\d+)"', page) == [("g0", "5"), ("g1", "5")]
    assert 'id="common-ground"' in page and "모두" in page.split('id="common-ground"')[1].split("</section>")[0]
    assert "@example.kr" not in page


def test_residents_flag_a_statement_for_the_moderators_and_staff_find_the_form(client):
    from moderation.models import Flag

    topic = make_topic(statements=("광고 같은 의견",))
    statement = topic.statements.get()
    client.force_login(resident())
    answer = client.post(f"/topics/{topic.pk}/", {"action": "flag", "statement": statement.pk, "reason": "spam"})
    assert answer.status_code == 302 and Flag.objects.get().reason == "spam"
    again = client.post(f"/topics/{topic.pk}/", {"action": "flag", "statement": statement.pk, "reason": "spam"})
    assert again.status_code == 409 and Flag.objects.count() == 1
    bad = client.post(f"/topics/{topic.pk}/", {"action": "flag", "statement": statement.pk, "reason": "boring"})
    assert bad.status_code == 400 and Flag.objects.count() == 1
    staff = officer()
    client.force_login(staff)
    assert "/topics/new/11010/" in client.get("/topics/").content.decode()
    form = client.post("/topics/new/11010/", {"title": "새 주제", "eligibility_rule": "signed_in", "statements": "첫 의견\n" + "가" * 141})
    assert form.status_code == 400 and "140" in form.content.decode()
    created = client.post("/topics/new/11010/", {"title": "새 주제", "eligibility_rule": "signed_in", "statements": "첫 의견\n둘째 의견"})
    assert created.status_code == 302 and Statement.objects.filter(topic__title="새 주제", status="shown").count() == 2
    assert client.get("/topics/new/21090/").status_code == 404
