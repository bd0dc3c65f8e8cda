"""Reads for service ratings: counts only, never one person's rating."""

from __future__ import annotations

from django.db.models import Avg, Count, Q

from ratings.models import ServiceRating


def rating_counts(*, report_id: int) -> dict:
    counts = ServiceRating.objects.filter(report_id=report_id).aggregate(
        total=Count("id"), solved_count=Count("id", filter=Q(solved=True)), not_solved_count=Count("id", filter=Q(solved=False)),
        mean_score=Avg("score"),
        **{f"score_{n}": Count("id", filter=Q(score=n)) for n in range(1, 6)},
    )
    counts["scores"] = [(n, counts.pop(f"score_{n}")) for n in range(5, 0, -1)]
    return counts
