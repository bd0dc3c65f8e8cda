"""The scorecards' campaigns_run: campaigns a government organises that have started; examples
(demo data), upcoming campaigns and organisations' campaigns count for no government."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.models import Organisation
from scorecards.models import Scorecard
from scorecards.services import scorecards_refresh
from tests.campaigns.conftest import jongno, make_campaign, staff_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_campaigns_run_counts_started_non_example_campaigns_by_organising_government():
    organiser = staff_of("11010")
    now = timezone.now()
    make_campaign(actor=organiser, slug="one")
    make_campaign(actor=organiser, slug="two", starts_at=now - timedelta(days=30), ends_at=now - timedelta(days=20))
    make_campaign(actor=organiser, slug="demo", is_example=True)
    make_campaign(actor=organiser, slug="later", starts_at=now + timedelta(days=5), ends_at=now + timedelta(days=6))
    superuser = UserFactory(is_superuser=True)
    make_campaign(actor=superuser, slug="ngo", organiser_government=None, governments=[jongno()],
                  organiser_organisation=Organisation.objects.create(name="커뮤니티매핑센터", slug="cmc"))
    scorecards_refresh(now=now)
    assert Scorecard.objects.get(area__code="11010").indicators["campaigns_run"] == {"value": 2, "low": None, "high": None, "n": 2}
    assert Scorecard.objects.get(area__code="21090").indicators["campaigns_run"]["value"] == 0
