from django.db import transaction

from reports.default_categories import DEFAULT_CATEGORIES
from reports.models import Category, Question


@transaction.atomic
def category_load_defaults(*, definitions: list[dict] = DEFAULT_CATEGORIES) -> tuple[int, int]:
    """Create or update the default categories; idempotent, and leaves staff-made categories alone."""
    created = updated = 0
    for order, definition in enumerate(definitions):
        fields = {key: value for key, value in definition.items() if key not in {"code", "questions"}}
        category, was_created = Category.objects.update_or_create(
            code=definition["code"], defaults={**fields, "order": order}
        )
        created += was_created
        updated += not was_created
        for question_order, question in enumerate(definition["questions"]):
            Question.objects.update_or_create(
                category=category, code=question["code"], defaults={**{k: v for k, v in question.items() if k != "code"}, "order": question_order}
            )
    return created, updated
