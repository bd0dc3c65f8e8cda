"""The proposals API, every JSON response checked against the OpenAPI schema."""

from __future__ import annotations

import pytest

from moderation.services import content_hide
from proposals.models import Obligation, Proposal, ProposalComment
from staff.models import StaffRole
from tests.api.openapi import assert_matches_schema
from tests.api.residents import assert_paths_in_schema, site_session
from tests.factories import JONGNO, UserFactory
from tests.polls.factories import dong, resident
from tests.proposals.factories import jongno_resident, make_proposal, small_thresholds, staff_member

pytestmark = pytest.mark.django_db


def test_every_proposals_path_is_in_the_schema():
    assert_paths_in_schema("/api/v1/proposals/", "/api/v1/proposals/{proposal_id}/", "/api/v1/proposals/{proposal_id}/supports/",
                 "/api/v1/proposals/{proposal_id}/comments/")


def test_file_list_support_across_a_threshold_and_comment(client):
    small_thresholds(department=(1, 30))
    author_user, supporter_user = UserFactory(), jongno_resident()
    author, token = site_session(author_user, "/proposals/")
    created = author.post("/api/v1/proposals/", {"title": "벤치", "body": "쉴 곳이 없어요", "lon": JONGNO[0], "lat": JONGNO[1]},
                          content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert created.status_code == 201, created.content
    proposal_id = assert_matches_schema(created)["id"]
    assert Proposal.objects.get(pk=proposal_id).local_government.code == "11010"
    rows = assert_matches_schema(client.get("/api/v1/proposals/?government=11010"))
    assert [row["id"] for row in rows] == [proposal_id]

    supporter, token = site_session(supporter_user, "/proposals/")
    answer = supporter.post(f"/api/v1/proposals/{proposal_id}/supports/", HTTP_X_CSRFTOKEN=token)
    assert answer.status_code == 201, answer.content
    body = assert_matches_schema(answer)
    assert body["support_count"] == 1 and body["obligations"][0]["state"] == "open" and body["obligations"][0]["days_left"] == 30
    again = supporter.post(f"/api/v1/proposals/{proposal_id}/supports/", HTTP_X_CSRFTOKEN=token)
    assert again.status_code == 409 and assert_matches_schema(again)["error"]["code"] == "already_supported"
    busan, token_b = site_session(resident(dong("우1동", "21090")), "/proposals/")
    refused = busan.post(f"/api/v1/proposals/{proposal_id}/supports/", HTTP_X_CSRFTOKEN=token_b)
    assert refused.status_code == 403 and assert_matches_schema(refused)["error"]["code"] == "not_eligible"
    anonymous = client.post(f"/api/v1/proposals/{proposal_id}/supports/")
    assert anonymous.status_code in (401, 403)
    assert Obligation.objects.count() == 1 and Proposal.objects.get(pk=proposal_id).support_count == 1

    comment = supporter.post(f"/api/v1/proposals/{proposal_id}/comments/", {"body": "좋아요", "stance": "for"},
                             content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert comment.status_code == 201, comment.content
    parent = assert_matches_schema(comment)["id"]
    for depth in (2, 3):
        reply = supporter.post(f"/api/v1/proposals/{proposal_id}/comments/", {"body": "답글", "stance": "neutral", "parent": parent},
                               content_type="application/json", HTTP_X_CSRFTOKEN=token)
        assert assert_matches_schema(reply)["depth"] == depth
        parent = reply.json()["id"]
    too_deep = supporter.post(f"/api/v1/proposals/{proposal_id}/comments/", {"body": "더", "stance": "for", "parent": parent},
                              content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert too_deep.status_code == 400 and assert_matches_schema(too_deep)["error"]["code"] == "comment_too_deep"
    bad = supporter.post(f"/api/v1/proposals/{proposal_id}/comments/", {"body": "x", "stance": "maybe"},
                         content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert bad.status_code == 400 and "stance" in assert_matches_schema(bad)["error"]["fields"]
    assert ProposalComment.objects.count() == 3
    comments = assert_matches_schema(client.get(f"/api/v1/proposals/{proposal_id}/comments/"))
    assert [c["depth"] for c in comments] == [1, 2, 3]

    detail = assert_matches_schema(client.get(f"/api/v1/proposals/{proposal_id}/"))
    assert detail["stances"] == {"for": 1, "neutral": 2, "against": 0}
    assert [t["supports"] for t in detail["thresholds"]] == [1, 3, 5] and detail["obligations"][0]["level"] == "department"
    content_hide(item=ProposalComment.objects.get(depth=1), actor=staff_member(role=StaffRole.Role.MODERATOR), reason="욕설")
    assert assert_matches_schema(client.get(f"/api/v1/proposals/{proposal_id}/comments/")) == []  # its replies go with it
    everything = created.content.decode() + client.get(f"/api/v1/proposals/{proposal_id}/").content.decode() + str(comments)
    for user in (author_user, supporter_user):
        assert user.email not in everything and f'"{user.username}"' not in everything


def test_bad_parameters_and_unknown_proposals_are_clear_errors(client):
    make_proposal()
    for query, code in (("government=99999", "invalid_local_government"), ("status=maybe", "invalid_status"), ("limit=0", "invalid_parameter")):
        answer = client.get(f"/api/v1/proposals/?{query}")
        assert answer.status_code == 400 and assert_matches_schema(answer)["error"]["code"] == code
    missing = client.get("/api/v1/proposals/987654/")
    assert missing.status_code == 404 and assert_matches_schema(missing)["error"]["code"] == "not_found"
