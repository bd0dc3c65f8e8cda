"""The polls API, every JSON response checked against the OpenAPI schema; the ballot log as published."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from polls.ballot_log import log_verify
from polls.models import Ballot, Poll
from residency.eligibility import Rule
from tests.api.openapi import assert_matches_schema, openapi_schema
from tests.polls.factories import dong, make_poll, resident

pytestmark = pytest.mark.django_db


def _live_poll(**kwargs):
    now = timezone.now()
    return make_poll(opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=1), now=now - timedelta(hours=2), **kwargs)


def _close(poll):
    now = timezone.now()
    Poll.objects.filter(pk=poll.pk).update(opens_at=now - timedelta(days=2), closes_at=now - timedelta(minutes=1))


def test_every_polls_path_is_in_the_schema():
    paths = openapi_schema()["paths"]
    for path in ("/api/v1/polls/", "/api/v1/polls/{poll_id}/", "/api/v1/polls/{poll_id}/vote/", "/api/v1/polls/{poll_id}/ballots.jsonl"):
        assert path in paths


def test_list_detail_vote_and_log(client):
    cheongun = dong("청운효자동")
    poll = _live_poll(rule=Rule.RESIDENTS, areas=[cheongun], choices=("가", "나", "다"))
    rows = assert_matches_schema(client.get("/api/v1/polls/"))
    assert rows[0]["id"] == poll.pk and rows[0]["status"] == "open" and rows[0]["areas"] == [cheongun.code]
    detail = assert_matches_schema(client.get(f"/api/v1/polls/{poll.pk}/"))
    assert detail["results"] is None and [c["number"] for c in detail["choices"]] == [1, 2, 3]
    receipts = []
    for n in (1, 3, 3):
        voter = Client(enforce_csrf_checks=True)
        voter.force_login(resident(cheongun))
        voter.get(f"/polls/{poll.pk}/")
        token = voter.cookies["csrftoken"].value
        answer = voter.post(f"/api/v1/polls/{poll.pk}/vote/", {"choices": [n]}, content_type="application/json", HTTP_X_CSRFTOKEN=token)
        assert answer.status_code == 201, answer.content
        receipts.append(assert_matches_schema(answer)["receipt"])
    early = client.get(f"/api/v1/polls/{poll.pk}/ballots.jsonl")
    assert early.status_code == 409 and assert_matches_schema(early)["error"]["code"] == "log_not_published"
    _close(poll)
    detail = assert_matches_schema(client.get(f"/api/v1/polls/{poll.pk}/"))
    assert detail["results"]["tally"] == [{"number": 1, "votes": 1}, {"number": 2, "votes": 0}, {"number": 3, "votes": 2}]
    assert detail["results"]["by_area"] == [{"area": None, "level": "", "ballots": 3, "tally": detail["results"]["tally"]}]
    log = client.get(f"/api/v1/polls/{poll.pk}/ballots.jsonl")
    assert log.status_code == 200 and log["Content-Type"].startswith("application/jsonl")
    text = log.content.decode()
    verified = log_verify(text)
    assert verified.head == detail["log"]["head"] and verified.tally == {1: 1, 3: 2}
    assert sorted(json.loads(line)["receipt"] for line in text.splitlines()) == sorted(receipts)
    assert all(set(json.loads(line)) == {"seq", "choice", "receipt", "prev", "hash"} for line in text.splitlines())


@pytest.mark.parametrize("body, status, code", [
    ({"choices": []}, 400, "invalid_choice"),
    ({"choices": ["x"]}, 400, "invalid_choice"),
    ({"choices": [7]}, 400, "invalid_choice"),
    ({"choices": [1, 2]}, 400, "invalid_choice"),
    ({"choices": [1], "change": True}, 409, "not_voted"),
])
def test_bad_votes_are_clear_errors_and_change_nothing(client, body, status, code):
    poll = _live_poll()
    client.force_login(resident())
    answer = client.post(f"/api/v1/polls/{poll.pk}/vote/", body, content_type="application/json")
    assert answer.status_code == status and assert_matches_schema(answer)["error"]["code"] == code
    assert not Ballot.objects.exists()


def test_double_votes_outsiders_anonymous_and_closed_polls_are_refused(client):
    poll = _live_poll(rule=Rule.RESIDENTS, areas=[dong("청운효자동")])
    anonymous = client.post(f"/api/v1/polls/{poll.pk}/vote/", {"choices": [1]}, content_type="application/json")
    assert anonymous.status_code == 403 and assert_matches_schema(anonymous)["error"]["code"] == "permission_denied"
    client.force_login(resident(dong("사직동")))
    outsider = client.post(f"/api/v1/polls/{poll.pk}/vote/", {"choices": [1]}, content_type="application/json")
    assert outsider.status_code == 403 and assert_matches_schema(outsider)["error"]["code"] == "not_eligible"
    client.force_login(resident(dong("청운효자동")))
    assert client.post(f"/api/v1/polls/{poll.pk}/vote/", {"choices": [1]}, content_type="application/json").status_code == 201
    twice = client.post(f"/api/v1/polls/{poll.pk}/vote/", {"choices": [2]}, content_type="application/json")
    assert twice.status_code == 409 and assert_matches_schema(twice)["error"]["code"] == "already_voted"
    changed = client.post(f"/api/v1/polls/{poll.pk}/vote/", {"choices": [2], "change": True}, content_type="application/json")
    assert changed.status_code == 201
    _close(poll)
    late = client.post(f"/api/v1/polls/{poll.pk}/vote/", {"choices": [1], "change": True}, content_type="application/json")
    assert late.status_code == 409 and assert_matches_schema(late)["error"]["code"] == "poll_closed"
    assert list(Ballot.objects.values_list("choices", flat=True)) == [[2]]
    missing = client.get("/api/v1/polls/999999/")
    assert missing.status_code == 404 and assert_matches_schema(missing)["error"]["code"] == "not_found"


def test_the_list_costs_the_same_queries_for_3_or_9_polls(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/polls/").status_code == 200
        return len(queries)

    for _ in range(3):
        _live_poll(rule=Rule.RESIDENTS, areas=[dong("청운효자동")])
    few = count()
    for _ in range(6):
        _live_poll(rule=Rule.RESIDENTS, areas=[dong("사직동")])
    assert count() == few


def test_an_app_votes_for_a_resident_with_the_grant_they_gave_it(client):
    from clients.models import Scope
    from clients.services import api_client_create, api_key_create

    poll = _live_poll(rule=Rule.RESIDENTS, areas=[dong("청운효자동")])
    voter = resident(dong("청운효자동"), password="correct horse battery staple")
    app = api_client_create(name="동네 앱")
    other_app = api_client_create(name="다른 앱")
    _key, raw = api_key_create(client=app, scopes=[Scope.READ, Scope.SUBMIT])
    _read_key, read_only = api_key_create(client=app, scopes=[Scope.READ])
    client.force_login(voter)

    def give(app_) -> str:
        page = client.post("/accounts/apps/", {"client": app_.pk, "purposes": ["poll_votes"], "agree": "on"})
        return re.search(r'<pre id="grant">([^<]+)</pre>', page.content.decode()).group(1)

    grant, foreign = give(app), give(other_app)
    client.logout()
    url = f"/api/v1/polls/{poll.pk}/vote/"
    for headers, status, code in [
        ({"HTTP_X_API_KEY": raw}, 401, "resident_grant_required"),  # no grant
        ({"HTTP_X_API_KEY": raw, "HTTP_X_DONGNE_RESIDENT": foreign}, 401, "resident_grant_invalid"),  # another app's grant
        ({"HTTP_X_API_KEY": raw, "HTTP_X_DONGNE_VOTER": grant}, 401, "resident_grant_required"),  # the old header is gone
        ({"HTTP_X_API_KEY": read_only, "HTTP_X_DONGNE_RESIDENT": grant}, 403, "api_key_scope"),
        ({"HTTP_X_API_KEY": "dn_wrong", "HTTP_X_DONGNE_RESIDENT": grant}, 401, None),
    ]:
        answer = client.post(url, {"choices": [1]}, content_type="application/json", **headers)
        assert answer.status_code == status and (code is None or assert_matches_schema(answer)["error"]["code"] == code)
    assert not Ballot.objects.exists()
    voted = client.post(url, {"choices": [2]}, content_type="application/json", HTTP_X_API_KEY=raw, HTTP_X_DONGNE_RESIDENT=grant)
    assert voted.status_code == 201 and assert_matches_schema(voted)["receipt"]
    voter.set_password("a new password entirely")
    voter.save()
    withdrawn = client.post(url, {"choices": [1], "change": True}, content_type="application/json", HTTP_X_API_KEY=raw, HTTP_X_DONGNE_RESIDENT=grant)
    assert withdrawn.status_code == 401 and assert_matches_schema(withdrawn)["error"]["code"] == "resident_grant_invalid"
    assert list(Ballot.objects.values_list("choices", flat=True)) == [[2]]
