"""Crafted query parameters on every public output of campaign entries answer 4xx, never 5xx.

The same property-based sweep (hypothesis) as tests/channels/test_crafted_input.py, over the
campaign endpoints of the REST API, the exports, the OGC API collection and the tiles.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.campaign_factories import make_campaign, make_entry
from tests.channels.test_crafted_input import VALUES

pytestmark = pytest.mark.django_db

SLUG = "crafted-walk"
CAMPAIGN_GETS = {
    "/api/v1/campaigns/": ["state", "theme", "cursor", "page_size"],
    f"/api/v1/campaigns/{SLUG}/entries/": ["fields", "status", "entry_type", "cursor", "page_size"],
    f"/exports/campaigns/{SLUG}/entries.csv": ["fields"],
    f"/exports/campaigns/{SLUG}/entries.geojson": ["fields"],
    f"/ogc/collections/campaign-{SLUG}/items": ["bbox", "datetime", "limit", "offset", "cursor", "properties", "f"],
    f"/tiles/campaigns/{SLUG}/15/27941/12688.mvt": ["fields"],
}


@pytest.fixture
def mapped(db):
    campaign = make_campaign(slug=SLUG)
    make_entry(campaign, answers={"entrance": "flat", "note": "메모", "contact": "비공개"})
    return campaign


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_campaign_get_parameters_never_give_a_5xx(client, mapped, data):
    url = data.draw(st.sampled_from(sorted(CAMPAIGN_GETS)))
    names = data.draw(st.lists(st.sampled_from(CAMPAIGN_GETS[url]), max_size=3, unique=True))
    params = {name: data.draw(VALUES) for name in names}
    response = client.get(url, params)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code < 500, (url, params, response.status_code, body[:300])


@pytest.mark.parametrize("path", [
    f"/tiles/campaigns/{SLUG}/99/1/1.mvt", f"/tiles/campaigns/{SLUG}/1/99999999999999999999/1.mvt",
    "/tiles/campaigns/NOPE/1/1/1.mvt", f"/ogc/collections/campaign-{SLUG}/items/99999999999999999999999",
    f"/ogc/collections/campaign-{SLUG}/items?offset=" + "9" * 30, "/exports/campaigns/%00/entries.csv",
    f"/api/v1/campaigns/{SLUG}%00/", f"/api/v1/campaigns/{SLUG}/entries/?fields=" + "a," * 1500,
])
def test_crafted_campaign_paths_are_client_errors(client, mapped, path):
    response = client.get(path)
    assert 400 <= response.status_code < 500, (path, response.status_code)
