"""The demo's example campaign: open, in 수원시, a few validated entries, never counted, idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from campaigns.models import Campaign, EntryStatus
from campaigns.selectors import campaign_coverage
from scorecards.models import Scorecard
from scorecards.services import scorecards_refresh

pytestmark = pytest.mark.django_db


def test_the_example_campaign_is_open_mapped_and_never_counted(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo_campaign", verbosity=0)
    call_command("load_demo_campaign", verbosity=0)  # a second run changes nothing
    campaign = Campaign.objects.get()
    assert campaign.is_example and campaign.window_state() == "open"
    assert campaign.organiser_government.code == "31010" and campaign.theme == "accessibility"
    statuses = sorted(campaign.entries.values_list("status", flat=True))
    assert statuses.count(EntryStatus.VALIDATED) == 4 and len(statuses) == 6
    coverage = campaign_coverage(campaign=campaign)
    assert coverage["units"] > 30 and 1 <= coverage["covered"] <= 4
    # No password works for the demo accounts.
    assert not any(entry.author.has_usable_password() for entry in campaign.entries.all())
    scorecards_refresh()
    assert Scorecard.objects.get(area__code="31010").indicators["campaigns_run"]["value"] == 0
