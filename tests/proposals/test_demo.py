"""The demo proposal: past its first threshold, an example, never counted, loaded once."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from notifications.models import OutboundMessage
from proposals.models import Obligation, Proposal
from proposals.selectors import obligations_overdue, proposal_list
from tests.proposals.factories import staff_member

pytestmark = pytest.mark.django_db


def test_the_demo_proposal_is_past_its_first_threshold_and_never_counted():
    staff_member("11010", email="officer@jongno.go.kr")
    call_command("load_demo_proposals")
    call_command("load_demo_proposals")  # idempotent
    [proposal] = Proposal.objects.all()
    assert proposal.is_example and proposal.title.startswith("[예시]")
    assert proposal.support_count == 52 and proposal.local_government.code == "11010"
    [obligation] = Obligation.objects.filter(proposal=proposal)
    assert obligation.level == "department" and obligation.state() == "open"
    assert list(proposal_list()) == [proposal]  # shown, marked
    assert not Proposal.objects.counted().exists()
    assert not OutboundMessage.objects.filter(to__contains=["officer@jongno.go.kr"]).exists()  # no email for an example
    assert obligations_overdue().count() == 0
    assert proposal.comments.count() == 3
