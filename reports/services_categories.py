from django.db import transaction
from django.db.models import F
from django.utils import timezone

from reports.default_categories import DEFAULT_CATEGORIES
from reports.models import Category, Question, Report
from reports.services import coarse_point

RELOCATE_BATCH = 2000


@transaction.atomic
def category_load_defaults(*, definitions: list[dict] = DEFAULT_CATEGORIES) -> tuple[int, int]:
    """Create or update the default categories; idempotent, and leaves staff-made categories alone."""
    created = updated = 0
    for order, definition in enumerate(definitions):
        fields = {key: value for key, value in definition.items() if key not in {"code", "questions"}}
        was_sensitive = Category.objects.filter(code=definition["code"]).values_list("is_sensitive", flat=True).first()
        category, was_created = Category.objects.update_or_create(
            code=definition["code"], defaults={**fields, "order": order}
        )
        if was_sensitive is not None and was_sensitive != category.is_sensitive:
            _reports_relocate(category=category)  # new defaults changed its sensitivity
        created += was_created
        updated += not was_created
        for question_order, question in enumerate(definition["questions"]):
            Question.objects.update_or_create(
                category=category, code=question["code"], defaults={**{k: v for k, v in question.items() if k != "code"}, "order": question_order}
            )
    return created, updated


def category_save(*, category: Category) -> int:
    """Save a category (new or edited, e.g. by the admin); when its sensitivity changed, move the
    public point of every one of its reports in the same transaction. Returns how many moved."""
    with transaction.atomic():
        before = None
        if category.pk is not None:
            before = Category.objects.select_for_update().filter(pk=category.pk).values_list("is_sensitive", flat=True).first()
        category.save()
        if before is None or before == category.is_sensitive:
            return 0
        return _reports_relocate(category=category)


def category_set_sensitivity(*, category: Category, is_sensitive: bool) -> int:
    """Mark a category sensitive (public points snap to the ~100 m grid) or not (exact points)."""
    category.is_sensitive = is_sensitive
    return category_save(category=category)


def _reports_relocate(*, category: Category) -> int:
    """Recompute `public_location` of the category's reports. The layers' cell counts follow
    through their triggers on reports_report; `updated_at` moves so that clients syncing by it
    (Open311, REST) fetch the new point instead of keeping an exact one."""
    now = timezone.now()
    reports = Report.objects.filter(category=category)
    if not category.is_sensitive:
        return reports.update(public_location=F("location"), updated_at=now)
    moved = 0
    batch: list[Report] = []
    for report in reports.only("id", "location").order_by("id").iterator(chunk_size=RELOCATE_BATCH):
        report.public_location = coarse_point(report.location)
        report.updated_at = now
        batch.append(report)
        if len(batch) == RELOCATE_BATCH:
            moved += Report.objects.bulk_update(batch, ["public_location", "updated_at"])
            batch = []
    if batch:
        moved += Report.objects.bulk_update(batch, ["public_location", "updated_at"])
    return moved
