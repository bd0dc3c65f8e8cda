"""The proposal pages: list, file, detail with its countdown, supports, comments, flags and hides, the
government's answer and settings pages, and the government's page showing its obligations."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from moderation.models import Flag
from proposals.models import Obligation, Proposal, ProposalComment, ProposalSettings
from staff.models import StaffRole
from tests.factories import JONGNO, UserFactory
from tests.proposals.factories import jongno_resident, make_proposal, small_thresholds, staff_member

pytestmark = pytest.mark.django_db


def test_filing_a_proposal_routes_it_and_bad_input_is_shown_beside_the_form(client):
    client.force_login(UserFactory())
    page = client.get("/proposals/new/")
    assert page.status_code == 200 and b"proposal-map" in page.content
    refused = client.post("/proposals/new/", {"title": "", "body": "", "lon": "", "lat": ""})
    assert refused.status_code == 400 and Proposal.objects.count() == 0
    refused = client.post("/proposals/new/", {"title": "조명", "body": "어두워요", "lon": "130.2", "lat": "35.5"})
    assert refused.status_code == 400 and "proposal-error" in refused.content.decode()
    answer = client.post("/proposals/new/", {"title": "조명", "body": "어두워요", "lon": str(JONGNO[0]), "lat": str(JONGNO[1])})
    proposal = Proposal.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/proposals/{proposal.pk}/"
    assert proposal.local_government.code == "11010"
    listed = client.get("/proposals/?government=11010")
    assert f'data-proposal="{proposal.pk}"' in listed.content.decode()


def test_support_comment_and_the_countdown_on_both_pages(client):
    small_thresholds(department=(1, 30))
    proposal = make_proposal()
    resident = jongno_resident()
    client.force_login(resident)
    assert client.post(f"/proposals/{proposal.pk}/support/").status_code == 302
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert 'id="supported"' in page and 'data-state="open"' in page and "D-30" in page
    again = client.post(f"/proposals/{proposal.pk}/support/")
    assert again.status_code == 409 and "proposal-error" in again.content.decode()
    area_page = client.get("/areas/11010/").content.decode()
    assert "area-obligations" in area_page and proposal.title in area_page
    Obligation.objects.update(due_at=timezone.now() - timedelta(days=2))
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert 'data-state="overdue"' in page
    assert 'data-state="overdue"' in client.get("/areas/11010/").content.decode()

    assert client.post(f"/proposals/{proposal.pk}/comments/", {"body": "찬성합니다", "stance": "for"}).status_code == 302
    first = ProposalComment.objects.get()
    second = client.post(f"/proposals/{proposal.pk}/comments/", {"body": "왜요?", "stance": "neutral", "parent": first.pk})
    assert second.status_code == 302
    third_parent = ProposalComment.objects.latest("id").pk
    client.post(f"/proposals/{proposal.pk}/comments/", {"body": "그래서", "stance": "against", "parent": third_parent})
    deepest = ProposalComment.objects.latest("id")
    too_deep = client.post(f"/proposals/{proposal.pk}/comments/", {"body": "더", "stance": "for", "parent": deepest.pk})
    assert too_deep.status_code == 400 and ProposalComment.objects.count() == 3
    no_stance = client.post(f"/proposals/{proposal.pk}/comments/", {"body": "입장 없음"})
    assert no_stance.status_code == 400 and ProposalComment.objects.count() == 3
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "찬성합니다" in page and resident.email not in page and resident.first_name not in page


def test_flag_hide_and_the_moderators_reason(client):
    proposal = make_proposal()
    client.force_login(UserFactory())
    assert client.post(f"/proposals/{proposal.pk}/flag/proposal/{proposal.pk}/", {"reason": "spam"}).status_code == 302
    assert client.post(f"/proposals/{proposal.pk}/flag/proposal/{proposal.pk}/", {"reason": "spam"}).status_code == 409
    assert Flag.objects.count() == 1
    assert client.post(f"/proposals/{proposal.pk}/hide/proposal/{proposal.pk}/", {"reason": "광고"}).status_code == 403
    client.force_login(staff_member(role=StaffRole.Role.MODERATOR))
    assert client.post(f"/proposals/{proposal.pk}/hide/proposal/{proposal.pk}/", {"reason": "광고"}).status_code == 302
    assert client.get(f"/proposals/{proposal.pk}/").status_code == 404


def test_the_government_answers_and_sets_its_thresholds(client):
    small_thresholds(department=(1, 30))
    proposal = make_proposal()
    client.force_login(jongno_resident())
    client.post(f"/proposals/{proposal.pk}/support/")
    assert client.get(f"/staff/proposals/{proposal.pk}/answer/").status_code == 404  # residents do not answer
    officer = staff_member()
    client.force_login(officer)
    assert client.get(f"/staff/proposals/{proposal.pk}/answer/").status_code == 200
    bad = client.post(f"/staff/proposals/{proposal.pk}/answer/", {"kind": "accepted", "text": "좋아요"})
    assert bad.status_code == 400 and Proposal.objects.get(pk=proposal.pk).status == "open"
    done = client.post(f"/staff/proposals/{proposal.pk}/answer/", {
        "kind": "accepted", "text": "추진합니다", "policy_title": "골목 조명 사업", "milestones": "설계 | 2027-01-31\n설치",
    })
    assert done.status_code == 302
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "골목 조명 사업" in page and "설계" in page and 'data-state="answered"' in page
    closed = client.post(f"/staff/proposals/{proposal.pk}/answer/", {"kind": "declined", "text": "아니요"})
    assert closed.status_code == 409

    assert client.get("/staff/proposals/11010/settings/").status_code == 404  # staff are not administrators
    client.force_login(staff_member(role=StaffRole.Role.ADMINISTRATOR))
    form = {"eligibility_rule": "signed_in", "department_supports": 10, "department_days": 14, "forum_supports": 5,
            "forum_days": 60, "head_supports": 500, "head_days": 30}
    refused = client.post("/staff/proposals/11010/settings/", form)
    assert refused.status_code == 400 and ProposalSettings.objects.get().department_supports == 1
    assert client.post("/staff/proposals/11010/settings/", {**form, "forum_supports": 20}).status_code == 302
    saved = ProposalSettings.objects.get()
    assert (saved.eligibility_rule, saved.department_supports, saved.department_days) == ("signed_in", 10, 14)
