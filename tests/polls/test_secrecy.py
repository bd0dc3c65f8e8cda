"""No page, export or API output, for the public or for the government's staff and a superuser,
names a voter or links anyone to a choice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from polls.models import Poll
from polls.services import poll_vote
from residency.eligibility import Rule
from staff.models import StaffRole
from tests.factories import UserFactory
from tests.polls.factories import area, dong, make_poll, resident

pytestmark = pytest.mark.django_db

CANARY_NAME = "canary-voter-7781"
CANARY_EMAIL = "canary.voter.7781@example.kr"


def test_poll_outputs_name_no_voter(client):
    now = timezone.now()
    poll = make_poll(rule=Rule.RESIDENTS, areas=[dong("청운효자동")], opens_at=now - timedelta(hours=1),
                     closes_at=now + timedelta(hours=1), now=now - timedelta(hours=2), interim_results=True)
    voter = resident(dong("청운효자동"), username=CANARY_NAME, email=CANARY_EMAIL)
    poll_vote(poll=poll, user=voter, choices=[1])
    Poll.objects.filter(pk=poll.pk).update(opens_at=now - timedelta(days=1), closes_at=now - timedelta(minutes=1))
    officer = UserFactory()
    StaffRole.objects.create(user=officer, local_government=area("11010"), role=StaffRole.Role.ADMINISTRATOR)
    superuser = UserFactory(is_superuser=True, is_staff=True)
    urls = [
        "/polls/", f"/polls/{poll.pk}/", f"/polls/{poll.pk}/verify/", "/api/v1/polls/", f"/api/v1/polls/{poll.pk}/",
        f"/api/v1/polls/{poll.pk}/ballots.jsonl",
    ]
    for viewer in (None, officer, superuser):
        client.logout()
        if viewer is not None:
            client.force_login(viewer)
        for url in urls + (["/polls/manage/", "/polls/manage/11010/residents/"] if viewer else []):
            response = client.get(url)
            assert response.status_code == 200, url
            body = response.content.decode()
            for private in (CANARY_NAME, CANARY_EMAIL, f'"user": {voter.pk}', f"user:{voter.pk}"):
                assert private not in body, (url, private)
    # The admin has no poll, ballot or voter screens at all.
    client.force_login(superuser)
    admin = client.get("/admin/").content.decode()
    assert "/admin/polls/" not in admin and "/admin/residency/" not in admin
