"""Reads for polls: lists, results (overall and by area, small areas merged), the published log."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError, ErrorCode
from polls.ballot_log import log_dumps
from polls.models import BallotLogEntry, Poll, VoterRecord
from residency.eligibility import eligibility_check
from residency.hashing import keyed_hash

# An area with fewer ballots is merged into its parent (읍면동 -> 시군구 -> 시도 -> the rest).
MIN_AREA_BALLOTS = 10


def poll_list(*, now: datetime | None = None):
    """Every poll, newest close first, with `voters` (how many voted) counted in the same query."""
    return (
        Poll.objects.select_related("local_government").prefetch_related("areas")
        .annotate(voters=Count("voter_records")).order_by("-closes_at", "-id")
    )


def poll_get(*, poll_id: int) -> Poll:
    poll = Poll.objects.select_related("local_government").prefetch_related("choices", "areas").filter(pk=poll_id).first()
    if poll is None:
        raise DomainError(ErrorCode.NOT_FOUND, _("No such poll."))
    return poll


def poll_status(*, poll: Poll, now: datetime | None = None) -> str:
    now = now or timezone.now()
    if now < poll.opens_at:
        return "upcoming"
    return "open" if now < poll.closes_at else "closed"


def poll_results_visible(*, poll: Poll, now: datetime | None = None) -> bool:
    return poll.is_closed(now) or (poll.interim_results and poll.is_open(now))


def poll_has_voted(*, poll: Poll, user) -> bool:
    """Whether this person has a ballot in the poll (to offer "change my vote"); never which one."""
    try:
        participant = eligibility_check(eligibility=poll.eligibility(), user=user)
    except DomainError:
        return False
    return VoterRecord.objects.filter(poll=poll, voter_key=keyed_hash("voter", f"{poll.pk}:{participant.identity}")).exists()


def poll_voter_count(*, poll: Poll) -> int:
    return VoterRecord.objects.filter(poll=poll).count()


def poll_tally(*, poll: Poll) -> dict[int, int]:
    """Ballots per choice number (a ballot of a multiple-choice poll counts once for each of its choices)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n, count(*) FROM polls_ballot, unnest(choices) AS n WHERE poll_id = %s GROUP BY n ORDER BY n",
            [poll.pk],
        )
        counts = dict(cursor.fetchall())
    return {choice.number: counts.get(choice.number, 0) for choice in poll.choices.all()}


# Each ballot goes to its 읍면동 if that has at least %(min)s ballots, else to its 시군구 (the 읍면동's
# parent) if the ballots not shown by 읍면동 there are enough, else to its 시도 likewise, else to the
# rest (area NULL: ballots of no declared area included).
AREA_RESULTS_SQL = """
WITH b AS (
    SELECT ballot.choices, dong.id AS dong_id, dong.parent_id AS unit_id, province.id AS province_id
    FROM polls_ballot ballot
    LEFT JOIN geodata_area dong ON dong.id = ballot.area_id
    LEFT JOIN geodata_area province ON province.code = left(dong.code, 2) AND province.level = 'province'
    WHERE ballot.poll_id = %(poll)s
), by_dong AS (
    SELECT b.*, CASE WHEN b.dong_id IS NOT NULL AND count(*) OVER (PARTITION BY b.dong_id) >= %(min)s
                     THEN b.dong_id END AS shown_dong
    FROM b
), by_unit AS (
    SELECT d.*, CASE WHEN d.shown_dong IS NULL AND d.unit_id IS NOT NULL
                      AND count(*) FILTER (WHERE d.shown_dong IS NULL) OVER (PARTITION BY d.unit_id) >= %(min)s
                     THEN d.unit_id END AS shown_unit
    FROM by_dong d
), by_province AS (
    SELECT u.*, CASE WHEN u.shown_dong IS NULL AND u.shown_unit IS NULL AND u.province_id IS NOT NULL
                      AND count(*) FILTER (WHERE u.shown_dong IS NULL AND u.shown_unit IS NULL)
                          OVER (PARTITION BY u.province_id) >= %(min)s
                     THEN u.province_id END AS shown_province
    FROM by_unit u
), placed AS (
    SELECT coalesce(shown_dong, shown_unit, shown_province) AS area_id, choices FROM by_province
)
SELECT placed.area_id, area.code, area.name, area.name_en, area.level, count(*) AS ballots,
       array_agg(choices) AS choices
FROM placed LEFT JOIN geodata_area area ON area.id = placed.area_id
GROUP BY placed.area_id, area.code, area.name, area.name_en, area.level
ORDER BY area.code NULLS LAST
"""


@dataclass
class AreaResult:
    area_id: int | None
    code: str
    name: str
    name_en: str
    level: str
    ballots: int
    tally: dict[int, int]


def poll_results_by_area(*, poll: Poll, min_ballots: int = MIN_AREA_BALLOTS) -> list[AreaResult]:
    """Results per area, never for fewer than `min_ballots` ballots (the rest last, as area None)."""
    numbers = [choice.number for choice in poll.choices.all()]
    with connection.cursor() as cursor:
        cursor.execute(AREA_RESULTS_SQL, {"poll": poll.pk, "min": min_ballots})
        rows = cursor.fetchall()
    results = []
    for area_id, code, name, name_en, level, ballots, choice_lists in rows:
        tally = dict.fromkeys(numbers, 0)
        for chosen in choice_lists:
            for n in chosen:
                tally[n] = tally.get(n, 0) + 1
        results.append(AreaResult(area_id, code or "", name or "", name_en or "", level or "", ballots, tally))
    # The rest is the total minus what is shown: if it is a small group, merge shown areas into it
    # (the smallest first) so no one can subtract their way to a few ballots.
    shown = [r for r in results if r.area_id is not None]
    rest = next((r for r in results if r.area_id is None), None)
    while rest is not None and 0 < rest.ballots < min_ballots and shown:
        smallest = min(shown, key=lambda r: (r.ballots, r.code))
        shown.remove(smallest)
        rest.ballots += smallest.ballots
        for n, c in smallest.tally.items():
            rest.tally[n] = rest.tally.get(n, 0) + c
    return shown + ([rest] if rest is not None else [])


def poll_log_text(*, poll: Poll) -> str:
    if poll.log_published_at is None:
        raise DomainError(ErrorCode.LOG_NOT_PUBLISHED, _("The ballot log is published when the poll closes."))
    lines = BallotLogEntry.objects.filter(poll=poll).order_by("seq").values("seq", "choice", "receipt", "prev", "hash")
    return log_dumps(list(lines))


def poll_results_geojson(*, results: list[AreaResult]) -> dict:
    """The shown areas of the results as a GeoJSON FeatureCollection (simplified), for the results map."""
    by_id = {r.area_id: r for r in results if r.area_id is not None}
    if not by_id:
        return {"type": "FeatureCollection", "features": []}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, ST_AsGeoJSON(ST_SimplifyPreserveTopology(geom, 0.0005), 5) FROM geodata_area WHERE id = ANY(%s)",
            [list(by_id)],
        )
        rows = cursor.fetchall()
    features = []
    for area_id, geometry in rows:
        result = by_id[area_id]
        leader = max(result.tally.items(), key=lambda item: (item[1], -item[0]))[0] if result.tally else None
        features.append({
            "type": "Feature", "geometry": json.loads(geometry),
            "properties": {"code": result.code, "name": result.name, "ballots": result.ballots, "tally": result.tally, "leader": leader},
        })
    return {"type": "FeatureCollection", "features": features}


def poll_choice_points(*, poll: Poll) -> list[dict]:
    return [
        {"number": c.number, "label": c.label, "lon": c.location.x, "lat": c.location.y}
        for c in poll.choices.all() if c.location is not None
    ]
