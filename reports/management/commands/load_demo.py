"""Sample reports for a demo: about 500, clearly marked, spread over every province."""

from __future__ import annotations

import random
import time
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone

from core.errors import DomainError
from reports.models import Category, Outcome, Question, Report, Status
from reports.services import report_change_status, report_create
from reports.services_categories import category_load_defaults

SEED = 20240501
POINTS_PER_UNIT = 2

# Two random points inside every municipal unit (시군구), reproducible thanks to the seed; a
# municipal unit's 읍면동 cover it, so every province and every Seoul 자치구 gets reports.
POINTS_SQL = """
SELECT a.code, ST_X(d.geom), ST_Y(d.geom)
FROM geodata_area a
CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(a.geom, %(n)s, %(seed)s)) AS d
WHERE a.is_current AND a.level = 'municipal'
ORDER BY a.code, d.path
"""

DESCRIPTIONS = [
    "이 근처에 불편한 곳이 있어요. 확인 부탁드립니다.",
    "며칠째 그대로입니다. 지나가는 사람들이 위험해 보여요.",
    "아이들이 자주 다니는 길이라 빨리 고쳐 주세요.",
    "밤에 특히 불편합니다.",
]


def sample_answers(category: Category, when) -> dict:
    """A plausible answer to each required question, by datatype."""
    answers: dict = {}
    for question in category.questions.all():
        if not (question.required and question.variable):
            continue
        kind = question.datatype
        if kind == Question.Datatype.SINGLEVALUELIST:
            answers[question.code] = question.value_keys()[0]
        elif kind == Question.Datatype.MULTIVALUELIST:
            answers[question.code] = question.value_keys()[:1]
        elif kind == Question.Datatype.NUMBER:
            answers[question.code] = 3
        elif kind == Question.Datatype.DATETIME:
            answers[question.code] = when.isoformat()
        else:
            answers[question.code] = "예시"
    return answers


class Command(BaseCommand):
    help = "Create about 500 sample reports (is_sample, '[예시]') unless sample reports already exist."

    def handle(self, *args, **options):
        if Report.objects.filter(is_sample=True).exists():
            self.stdout.write("Sample reports already exist: nothing to do.")
            return
        started = time.monotonic()
        if not Category.objects.filter(is_active=True, local_government__isnull=True).exists():
            category_load_defaults()
        categories = list(
            Category.objects.filter(is_active=True, local_government__isnull=True).prefetch_related("questions")
        )
        with connection.cursor() as cursor:
            cursor.execute(POINTS_SQL, {"n": POINTS_PER_UNIT, "seed": SEED})
            points = cursor.fetchall()
        rng = random.Random(SEED)
        now = timezone.now()
        created = skipped = 0
        for index, (_code, lon, lat) in enumerate(points):
            category = categories[index % len(categories)]
            when = now - timedelta(days=rng.uniform(0, 45), minutes=rng.randint(0, 600))
            try:
                report = report_create(
                    category=category, lon=lon, lat=lat, is_sample=True, created_at=when,
                    description=f"[예시] {category.name}: {rng.choice(DESCRIPTIONS)}",
                    answers=sample_answers(category, when),
                )
            except DomainError:
                skipped += 1  # a generated point on a boundary sliver nobody governs
                continue
            created += 1
            self._advance(report, rng.random())
        self.stdout.write(self.style.SUCCESS(
            f"Sample reports: {created} created, {skipped} skipped, in {time.monotonic() - started:.1f} s."
        ))

    def _advance(self, report: Report, draw: float) -> None:
        """Spread the samples over the workflow: about 40% new, 30% being worked on, 30% closed."""
        label = report.local_government.name
        if draw < 0.4:
            return
        report_change_status(report=report, to_status=Status.ACKNOWLEDGED, actor_label=label,
                             public_note="[예시] 접수했습니다. 현장을 확인하겠습니다.")
        if draw < 0.55:
            return
        report_change_status(report=report, to_status=Status.IN_PROGRESS, actor_label=label,
                             public_note="[예시] 처리 중입니다.")
        if draw < 0.7:
            return
        outcome = Outcome.RESOLVED if draw < 0.92 else Outcome.REFERRED
        report_change_status(report=report, to_status=Status.CLOSED, outcome=outcome, actor_label=label,
                             public_note="[예시] 조치를 마쳤습니다.")
