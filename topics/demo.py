"""The example topic of `make run` (DEMO=1): enough votes to show two opinion groups.

Marked `is_example` ("[예시]" on the pages), never counted. Its voters are no accounts: their
participant keys are keyed hashes of "example-<n>", so signing in never makes anyone one of them.
"""

from __future__ import annotations

import random

from django.db import transaction

from geodata.models import Area
from residency.hashing import keyed_hash
from topics.models import Statement, Topic, Vote
from topics.services import topic_open, topic_recompute

SEED = 17
PEOPLE = 60
# (statement, which camp agrees: "walk", "drive" or "both")
STATEMENTS = [
    ("종로 대로의 차로를 줄이고 보도를 넓혀야 한다", "walk"),
    ("주말에는 차 없는 거리를 운영해야 한다", "walk"),
    ("자전거 전용도로를 더 만들어야 한다", "walk"),
    ("노상 주차장을 줄이고 나무를 심어야 한다", "walk"),
    ("상가 앞 주차 공간이 부족해 장사가 어렵다", "drive"),
    ("차로를 줄이면 교통 체증이 심해진다", "drive"),
    ("공영 주차장을 더 지어야 한다", "drive"),
    ("배달 차량 정차 구역이 필요하다", "drive"),
    ("밤길 가로등을 더 밝게 해야 한다", "both"),
    ("어린이 보호구역 단속을 강화해야 한다", "both"),
]


def topic_example_load() -> Topic | None:
    """Create the example topic once; None when it already exists."""
    if Topic.objects.filter(is_example=True).exists():
        return None
    government = Area.objects.current().get(code="11010")
    rng = random.Random(SEED)
    with transaction.atomic():
        topic = topic_open(
            actor=None, government=government, title="종로의 거리, 누구를 위해 바꿀까요?",
            description="보행자와 운전자 모두의 의견을 듣습니다. 각 의견에 동의, 반대, 또는 잘 모르겠음으로 답해 주세요.",
            statements=[text for text, _camp in STATEMENTS], is_example=True,
        )
        statements = list(Statement.objects.filter(topic=topic).order_by("id"))
        votes = []
        for person in range(PEOPLE):
            camp = "walk" if person % 5 < 3 else "drive"
            key = keyed_hash("topic-vote-example", f"{topic.pk}:{person}")
            for statement, (_text, side) in zip(statements, STATEMENTS, strict=True):
                if rng.random() < 0.15:
                    continue
                value = 1 if side in ("both", camp) else -1
                if rng.random() < 0.1:
                    value = 0
                votes.append(Vote(topic=topic, statement=statement, participant_key=key, value=value))
        Vote.objects.bulk_create(votes)
    topic_recompute(topic=topic)
    return topic
