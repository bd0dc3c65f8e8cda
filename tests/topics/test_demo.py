"""The example topic of DEMO=1: two opinion groups, common ground, never counted, loaded once."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from topics.models import Topic

pytestmark = pytest.mark.django_db


def test_the_example_topic_shows_two_groups_and_is_loaded_once(client):
    call_command("load_demo_topics", verbosity=0)
    call_command("load_demo_topics", verbosity=0)
    topic = Topic.objects.get()
    assert topic.is_example and not Topic.objects.counted().exists()
    result = topic.result
    # 60 example voters, 3 of 5 for walking, 2 of 5 for driving; those with fewer than 7 votes are not placed.
    sizes = [g["size"] for g in result.groups]
    assert result.voters == 60 and len(sizes) == 2 and sum(sizes) == result.participants >= 50
    assert 33 <= sizes[0] <= 36 and 21 <= sizes[1] <= 24
    assert len(result.common_ground) == 2
    page = client.get(f"/topics/{topic.pk}/").content.decode()
    assert "[예시]" in page or "[example]" in page
    assert sum(int(n) for n in re.findall(r'data-count="(\d+)"', page)) == result.participants and 'id="common-ground"' in page
