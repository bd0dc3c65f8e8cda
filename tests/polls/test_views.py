"""The poll pages: list, vote and change (receipt shown once), eligibility messages, residence page,
verify page, staff pages; nothing on any page links a voter to a choice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from polls.models import Ballot, Poll
from residency.eligibility import Rule
from residency.models import InvitationCode, Residence
from residency.services import invitation_codes_issue
from staff.models import StaffRole
from tests.factories import UserFactory
from tests.polls.factories import area, dong, make_poll, resident

pytestmark = pytest.mark.django_db


def _live_poll(**kwargs):
    now = timezone.now()
    return make_poll(opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=1), now=now - timedelta(hours=2), **kwargs)


def test_a_resident_votes_changes_and_sees_the_receipt_once(client):
    cheongun = dong("청운효자동")
    poll = _live_poll(rule=Rule.RESIDENTS, areas=[cheongun])
    voter = resident(cheongun)
    client.force_login(voter)
    assert poll.question in client.get("/polls/").content.decode()
    page = client.get(f"/polls/{poll.pk}/").content.decode()
    assert 'id="vote-form"' in page and 'name="change"' not in page and "투표하기" in page  # Korean by default
    client.cookies["django_language"] = "en"
    assert 'id="vote-button">Vote<' in client.get(f"/polls/{poll.pk}/").content.decode()
    client.cookies["django_language"] = "ko"
    voted = client.post(f"/polls/{poll.pk}/", {"choices": ["1"]})
    receipt = Ballot.objects.get().receipt
    assert voted.status_code == 200 and f'id="receipt">{receipt}<' in voted.content.decode()
    assert receipt not in client.get(f"/polls/{poll.pk}/").content.decode()  # shown once, kept nowhere
    twice = client.post(f"/polls/{poll.pk}/", {"choices": ["2"]})
    assert twice.status_code == 409 and 'id="vote-error"' in twice.content.decode()
    assert list(Ballot.objects.values_list("receipt", flat=True)) == [receipt]
    changed = client.post(f"/polls/{poll.pk}/", {"choices": ["2"], "change": "1"})
    assert changed.status_code == 200 and list(Ballot.objects.values_list("choices", flat=True)) == [[2]]
    assert 'name="change"' in client.get(f"/polls/{poll.pk}/").content.decode()


def test_a_resident_of_another_dong_is_told_why_not(client):
    poll = _live_poll(rule=Rule.RESIDENTS, areas=[dong("청운효자동")])
    client.force_login(resident(dong("사직동")))
    page = client.get(f"/polls/{poll.pk}/").content.decode()
    assert 'id="vote-form"' not in page and 'id="why-not"' in page and "사직동" in page
    refused = client.post(f"/polls/{poll.pk}/", {"choices": ["1"]})
    assert refused.status_code == 403 and not Ballot.objects.exists()


def test_anonymous_voters_are_sent_to_log_in(client):
    poll = _live_poll()
    assert client.post(f"/polls/{poll.pk}/", {"choices": ["1"]}).status_code == 302
    assert client.get("/polls/999999/").status_code == 404


def test_results_and_log_after_the_close(client):
    poll = _live_poll(choices=("가", "나"))
    for n in (1, 2, 2):
        client.force_login(resident())
        client.post(f"/polls/{poll.pk}/", {"choices": [str(n)]})
    page = client.get(f"/polls/{poll.pk}/").content.decode()
    assert 'data-choice="1"' not in page  # interim results hidden
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(minutes=1), opens_at=timezone.now() - timedelta(days=1))
    page = client.get(f"/polls/{poll.pk}/").content.decode()
    assert 'id="log-head"' in page and 'data-choice="2"><td>2. 나</td><td>2<' in page
    verify = client.get(f"/polls/{poll.pk}/verify/").content.decode()
    assert "verify_ballots" in verify and Poll.objects.get(pk=poll.pk).log_head in verify


def test_residence_page_declares_by_name_by_map_and_redeems_a_code(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get("/polls/residence/").status_code == 200
    several = client.post("/polls/residence/", {"action": "declare", "query": "신사동"})
    assert several.status_code == 200 and 'id="candidates"' in several.content.decode()
    client.post("/polls/residence/", {"action": "declare", "query": "청운효자동"})
    assert Residence.objects.get(user=user).area == dong("청운효자동")
    client.post("/polls/residence/", {"action": "declare", "lon": "129.1604", "lat": "35.1587"})
    assert Residence.objects.get(user=user).area.local_government.code == "21090"
    nothing = client.post("/polls/residence/", {"action": "declare", "query": "없는동네이름"})
    assert nothing.status_code == 400 and 'id="declare-error"' in nothing.content.decode()
    code = invitation_codes_issue(government=area("21090"), count=1)[0]
    client.post("/polls/residence/", {"action": "code", "code": code})
    assert Residence.objects.get(user=user).verified_government.code == "21090"
    reused = client.post("/polls/residence/", {"action": "code", "code": code})
    assert reused.status_code == 409 and 'id="code-error"' in reused.content.decode()
    client.post("/polls/residence/", {"action": "identity", "di": "DI-test-person-0042"})
    assert 'id="identity-state">' in (page := client.get("/polls/residence/").content.decode()) and "DI-test" not in page


def test_staff_create_a_poll_upload_a_roll_and_issue_codes(client):
    officer = UserFactory()
    StaffRole.objects.create(user=officer, local_government=area("11010"), role=StaffRole.Role.STAFF)
    client.force_login(officer)
    assert client.get("/polls/manage/").status_code == 200
    now = timezone.localtime()
    bad = client.post("/polls/manage/11010/new/", {"question": "질문", "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
                                                   "closes_at": (now + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
                                                   "eligibility_rule": "residents", "areas": "", "choice_1": "가", "choice_2": "나"})
    assert bad.status_code == 400 and not Poll.objects.exists()
    created = client.post("/polls/manage/11010/new/", {
        "question": "질문", "opens_at": now.strftime("%Y-%m-%dT%H:%M"), "closes_at": (now + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        "eligibility_rule": "residents", "areas": "청운효자동", "choice_1": "가", "choice_2": "나", "choice_2_lon": "126.97", "choice_2_lat": "37.58",
    })
    poll = Poll.objects.get()
    assert created.status_code == 302 and list(poll.areas.all()) == [dong("청운효자동")]
    roll = client.post("/polls/manage/11010/residents/roll/", {"roll": SimpleUploadedFile("roll.csv", b"email\na@example.kr\n", "text/csv")})
    assert roll.status_code == 302
    bad_roll = client.post("/polls/manage/11010/residents/roll/", {"roll": SimpleUploadedFile("roll.csv", b"name\nx\n", "text/csv")})
    assert bad_roll.status_code == 400 and 'id="roll-error"' in bad_roll.content.decode()
    codes = client.post("/polls/manage/11010/residents/codes/", {"count": "3"})
    assert codes.status_code == 200 and codes.content.decode().count("-") >= 6 and InvitationCode.objects.count() == 3
    assert client.get("/polls/manage/21090/residents/").status_code == 404  # not their government
    client.force_login(UserFactory())
    assert client.get("/polls/manage/").status_code == 403
