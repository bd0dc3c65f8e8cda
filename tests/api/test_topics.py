"""The topics API, every JSON response checked against the OpenAPI schema."""

from __future__ import annotations

import pytest

from staff.models import StaffRole
from tests.api.openapi import assert_matches_schema
from tests.api.residents import assert_paths_in_schema, site_session
from tests.topics.factories import make_topic, officer, resident
from topics.models import Statement, Vote
from topics.services import statement_moderate, statement_vote, topics_recompute_dirty

pytestmark = pytest.mark.django_db


def test_every_topics_path_is_in_the_schema():
    assert_paths_in_schema("/api/v1/topics/", "/api/v1/topics/{topic_id}/", "/api/v1/topics/{topic_id}/statements/",
                 "/api/v1/topics/{topic_id}/statements/{statement_id}/vote/")


def test_list_detail_statements_votes_and_the_opinion_map(client):
    statements = [f"A {n}" for n in range(3)] + [f"B {n}" for n in range(3)] + ["모두"]
    topic = make_topic(statements=statements)
    ordered = list(topic.statements.order_by("id"))
    rows = assert_matches_schema(client.get("/api/v1/topics/"))
    assert rows[0]["id"] == topic.pk and rows[0]["statements"] == 7 and rows[0]["proposal"] is None
    assert assert_matches_schema(client.get(f"/api/v1/topics/{topic.pk}/"))["opinion_map"] is None

    voter, token = site_session(resident(), "/topics/")
    answer = voter.post(f"/api/v1/topics/{topic.pk}/statements/{ordered[0].pk}/vote/", {"vote": "agree"},
                        content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert answer.status_code == 200 and assert_matches_schema(answer) == {"statement": ordered[0].pk, "vote": "agree"}
    mine = assert_matches_schema(voter.get(f"/api/v1/topics/{topic.pk}/statements/"))
    assert mine[0]["your_vote"] == "agree" and mine[0]["agree"] == 1 and mine[1]["your_vote"] is None
    created = voter.post(f"/api/v1/topics/{topic.pk}/statements/", {"text": "새 의견"}, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert created.status_code == 201 and assert_matches_schema(created)["moderation"] == "pending"

    for n in range(10):
        user = resident()
        for index, statement in enumerate(ordered):
            agree = index == 6 or (index < 3) == (n % 2 == 0)
            statement_vote(statement=statement, user=user, vote="agree" if agree else "disagree")
    topics_recompute_dirty()
    detail = assert_matches_schema(client.get(f"/api/v1/topics/{topic.pk}/"))
    opinion = detail["opinion_map"]
    assert opinion["participants"] == 10 and [g["size"] for g in opinion["groups"]] == [5, 5]
    assert opinion["common_ground"] == [ordered[6].pk] and len(opinion["positions"]) == 10
    assert "@" not in str(detail)


@pytest.mark.parametrize("body, status, code", [
    ({"vote": "maybe"}, 400, "invalid_vote"),
    ({}, 400, "invalid_vote"),
])
def test_bad_votes_are_clear_errors_and_change_nothing(body, status, code):
    topic = make_topic()
    voter, token = site_session(resident(), "/topics/")
    statement = topic.statements.first()
    answer = voter.post(f"/api/v1/topics/{topic.pk}/statements/{statement.pk}/vote/", body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert answer.status_code == status and assert_matches_schema(answer)["error"]["code"] == code
    assert not Vote.objects.exists()


def test_refusals_over_the_api_change_nothing(client):
    topic = make_topic(statements=())
    voter, token = site_session(resident(), "/topics/")
    long = voter.post(f"/api/v1/topics/{topic.pk}/statements/", {"text": "가" * 141}, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert long.status_code == 400 and assert_matches_schema(long)["error"]["code"] == "invalid_statement"
    pending = voter.post(f"/api/v1/topics/{topic.pk}/statements/", {"text": "대기"}, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    sid = pending.json()["id"]
    hidden_vote = voter.post(f"/api/v1/topics/{topic.pk}/statements/{sid}/vote/", {"vote": "agree"}, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert hidden_vote.status_code == 409 and assert_matches_schema(hidden_vote)["error"]["code"] == "statement_not_votable"
    anonymous = client.post(f"/api/v1/topics/{topic.pk}/statements/{sid}/vote/", {"vote": "agree"}, content_type="application/json")
    assert anonymous.status_code == 403 and assert_matches_schema(anonymous)["error"]["code"] == "permission_denied"
    missing = client.get("/api/v1/topics/999999/")
    assert missing.status_code == 404 and assert_matches_schema(missing)["error"]["code"] == "not_found"
    statement_moderate(actor=officer(StaffRole.Role.MODERATOR), statement=Statement.objects.get(pk=sid), decision="reject", reason="광고")
    assert Statement.objects.filter(topic=topic).count() == 1 and not Vote.objects.exists()
