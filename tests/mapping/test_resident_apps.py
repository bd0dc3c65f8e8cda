"""/accounts/apps/: a signed-in person lets one active app act for them, for what they chose, once they agree."""

from __future__ import annotations

import re

import pytest

from accounts.grants import resident_grant_read
from clients.services import api_client_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_page_gives_a_grant_only_with_an_active_app_a_purpose_and_the_agreement(client):
    app = api_client_create(name="현장 앱")
    retired = api_client_create(name="옛 앱")
    retired.is_active = False
    retired.save()
    assert client.get("/accounts/apps/").status_code == 302  # sign in first
    person = UserFactory()
    client.force_login(person)
    page = client.get("/accounts/apps/").content.decode()
    assert "현장 앱" in page and "옛 앱" not in page
    for data, error in [
        ({"client": retired.pk, "purposes": ["poll_votes"], "agree": "on"}, "사용 중인 앱을 고르세요."),
        ({"client": app.pk, "agree": "on"}, "앱이 나를 대신해 할 수 있는 일을 고르세요."),
        ({"client": app.pk, "purposes": ["everything"], "agree": "on"}, "everything"),
        ({"client": app.pk, "purposes": ["poll_votes"]}, "앱이 나를 대신하려면 먼저 동의해야 합니다."),
    ]:
        refused = client.post("/accounts/apps/", data)
        assert refused.status_code == 400 and error in refused.content.decode() and 'id="grant"' not in refused.content.decode()
    given = client.post("/accounts/apps/", {"client": app.pk, "purposes": ["poll_votes", "topics"], "agree": "on"})
    grant = resident_grant_read(token=re.search(r'<pre id="grant">([^<]+)</pre>', given.content.decode()).group(1), client_id=app.pk)
    assert grant.user == person and grant.purposes == {"poll_votes", "topics"}
    # Shown once: not kept in the session or a message for a later page.
    assert re.search(r'<pre id="grant">', client.get("/accounts/apps/").content.decode()) is None
