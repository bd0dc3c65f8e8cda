"""One way for an app to act for a resident (api.authentication, accounts.grants): the grant the person
gave that app, with the app's key, for campaign entries, poll votes, proposals and topics alike.
Every JSON response is checked against the OpenAPI schema."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.grants import Purpose
from campaigns.models import Entry
from polls.models import Ballot, VoterRecord
from proposals.models import ProposalSupport as Support
from residency.eligibility import Rule
from tests.api.openapi import assert_matches_schema, openapi_schema
from tests.api.residents import app_acting_for, app_key, grant_header, site_session
from tests.campaign_factories import JONGNO_POINTS, make_campaign
from tests.polls.factories import dong, make_poll, resident
from tests.proposals.factories import make_proposal
from tests.topics.factories import make_topic
from topics.models import Vote

pytestmark = pytest.mark.django_db

ENTRY = {"entry_type": "shop", "lon": JONGNO_POINTS[3][0], "lat": JONGNO_POINTS[3][1], "answers": {"entrance": "step"}}


def _live_poll():
    now = timezone.now()
    return make_poll(rule=Rule.RESIDENTS, areas=[dong("청운효자동")], opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=1),
                     now=now - timedelta(hours=2))


def _post(client, url: str, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def _entry(client, campaign, **headers):
    return _post(client, f"/api/v1/campaigns/{campaign.slug}/entries/", ENTRY, **headers)


def _vote(client, poll, **headers):
    return _post(client, f"/api/v1/polls/{poll.pk}/vote/", {"choices": [1]}, **headers)


def _nothing_stored() -> bool:
    return not Entry.objects.exists() and not Ballot.objects.exists() and not VoterRecord.objects.exists()


def test_the_grant_given_on_the_page_serves_a_campaign_entry_and_a_poll_vote(client):
    campaign, poll = make_campaign(), _live_poll()
    person = resident(dong("청운효자동"))
    app, key = app_key()
    client.force_login(person)
    assert client.get("/accounts/apps/").status_code == 200
    unagreed = client.post("/accounts/apps/", {"client": app.pk, "purposes": ["campaign_entries", "poll_votes"]})
    assert unagreed.status_code == 400 and 'id="grant"' not in unagreed.content.decode()
    page = client.post("/accounts/apps/", {"client": app.pk, "purposes": ["campaign_entries", "poll_votes"], "agree": "on"})
    grant = re.search(r'<pre id="grant">([^<]+)</pre>', page.content.decode()).group(1)
    client.logout()  # the app has no session: its key and the grant are all it sends

    entry = _entry(client, campaign, **key, HTTP_X_DONGNE_RESIDENT=grant)
    assert entry.status_code == 201, entry.content
    assert Entry.objects.get(pk=assert_matches_schema(entry)["id"]).author == person
    vote = _vote(client, poll, **key, HTTP_X_DONGNE_RESIDENT=grant)
    assert vote.status_code == 201 and assert_matches_schema(vote)["receipt"]
    # Still secret: the ballot names neither the person nor the app, only what was voted.
    ballot = Ballot.objects.get()
    assert ballot.choices == [1] and not {"user", "user_id", "client", "client_id", "created_at"} & {f.attname for f in Ballot._meta.fields}


def test_a_grant_given_to_app_a_is_refused_with_app_b_key(client):
    campaign, poll = make_campaign(), _live_poll()
    person = resident(dong("청운효자동"))
    app_a, _key_a = app_key()
    _app_b, key_b = app_key()
    for answer in (_entry(client, campaign, **key_b, **grant_header(person, app_a)), _vote(client, poll, **key_b, **grant_header(person, app_a))):
        assert answer.status_code == 401 and assert_matches_schema(answer)["error"]["code"] == "resident_grant_invalid"
        assert answer["WWW-Authenticate"]
    assert _nothing_stored()


def test_an_expired_tampered_or_withdrawn_grant_is_refused_and_nothing_is_stored(client):
    campaign, poll = make_campaign(), _live_poll()
    person = resident(dong("청운효자동"), password="correct horse battery staple")
    app, key = app_key()
    expired = grant_header(person, app, now=timezone.now() - timedelta(days=settings.RESIDENT_GRANT_DAYS, minutes=1))
    token = grant_header(person, app)["HTTP_X_DONGNE_RESIDENT"]
    payload, signature = token.split(":", 1)
    tampered = {"HTTP_X_DONGNE_RESIDENT": payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + ":" + signature}
    for headers in (expired, tampered, {"HTTP_X_DONGNE_RESIDENT": "not-a-grant"}):
        for answer in (_entry(client, campaign, **key, **headers), _vote(client, poll, **key, **headers)):
            assert answer.status_code == 401 and assert_matches_schema(answer)["error"]["code"] == "resident_grant_invalid"
            assert "위임" in answer.json()["error"]["message"]  # Korean by default
    valid = grant_header(person, app)
    person.set_password("a new password entirely")  # withdraws every grant the person gave
    person.save()
    withdrawn = _vote(client, poll, **key, **valid)
    assert withdrawn.status_code == 401 and assert_matches_schema(withdrawn)["error"]["code"] == "resident_grant_invalid"
    assert _nothing_stored()


def test_a_grant_without_the_needed_purpose_is_refused(client):
    campaign, poll, topic = make_campaign(), _live_poll(), make_topic()
    proposal = make_proposal(now=timezone.now())
    person = resident(dong("청운효자동"))
    votes_only = app_acting_for(person, purposes=[Purpose.POLL_VOTES])
    statement = topic.statements.first()
    for answer in (
        _entry(client, campaign, **votes_only),
        client.post(f"/api/v1/proposals/{proposal.pk}/supports/", **votes_only),
        _post(client, f"/api/v1/topics/{topic.pk}/statements/{statement.pk}/vote/", {"vote": "agree"}, **votes_only),
    ):
        assert answer.status_code == 403 and assert_matches_schema(answer)["error"]["code"] == "resident_grant_purpose"
    assert not Entry.objects.exists() and not Support.objects.exists() and not Vote.objects.exists()
    # In the request's language: Korean by default, English on request.
    korean = _entry(client, campaign, **votes_only)
    english = _entry(client, campaign, **votes_only, HTTP_ACCEPT_LANGUAGE="en")
    assert korean.json()["error"]["message"] != english.json()["error"]["message"] and "app" in english.json()["error"]["message"]
    assert _vote(client, poll, **votes_only).status_code == 201


def test_proposals_and_topics_take_the_same_grant(client):
    proposal, topic = make_proposal(now=timezone.now()), make_topic()
    person = resident(dong("청운효자동"))
    acting = app_acting_for(person, purposes=[Purpose.PROPOSALS, Purpose.TOPICS])
    support = client.post(f"/api/v1/proposals/{proposal.pk}/supports/", **acting)
    assert support.status_code == 201 and assert_matches_schema(support)["support_count"] == 1
    assert Support.objects.get().user == person
    statement = topic.statements.first()
    vote = _post(client, f"/api/v1/topics/{topic.pk}/statements/{statement.pk}/vote/", {"vote": "agree"}, **acting)
    assert vote.status_code == 200 and assert_matches_schema(vote)["vote"] == "agree"
    key_alone = app_key()[1]
    refused = client.post(f"/api/v1/proposals/{proposal.pk}/supports/", **key_alone)
    assert refused.status_code == 401 and assert_matches_schema(refused)["error"]["code"] == "resident_grant_required"


def test_the_sites_own_session_still_votes_with_its_csrf_token(client):
    poll = _live_poll()
    browser, token = site_session(resident(dong("청운효자동")), f"/polls/{poll.pk}/")
    forged = _vote(browser, poll)  # a cookie travels by itself: without the token it is refused
    assert forged.status_code == 403 and "CSRF" in assert_matches_schema(forged)["error"]["message"]
    assert _nothing_stored()
    assert _vote(browser, poll, HTTP_X_CSRFTOKEN=token).status_code == 201


def test_the_schema_documents_the_header_on_every_endpoint_that_acts_for_a_resident():
    schema = openapi_schema()
    scheme = schema["components"]["securitySchemes"]["residentGrant"]
    assert scheme == {**scheme, "type": "apiKey", "in": "header", "name": "X-Dongne-Resident"}
    for path, method in [
        ("/api/v1/campaigns/{slug}/entries/", "post"), ("/api/v1/polls/{poll_id}/vote/", "post"),
        ("/api/v1/proposals/{proposal_id}/supports/", "post"), ("/api/v1/proposals/", "post"),
        ("/api/v1/topics/{topic_id}/statements/{statement_id}/vote/", "post"),
    ]:
        security = schema["paths"][path][method]["security"]
        assert {"bearerAuth": [], "residentGrant": []} in security, (path, security)
    assert "X-Dongne-Voter" not in json.dumps(schema)
