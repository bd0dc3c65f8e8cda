"""Validating answers to a category's questions against their Open311 datatypes."""

from __future__ import annotations

import math
from datetime import datetime

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from reports.models import Category, Question

MAX_TEXT = {Question.Datatype.STRING: 300, Question.Datatype.TEXT: 4000}


def _is_blank(value) -> bool:
    return value is None or value == "" or value == []


def clean_answer(question: Question, value):
    """Return the stored form of one answer, or raise ValueError with a localized message."""
    kind = question.datatype
    if kind in (Question.Datatype.STRING, Question.Datatype.TEXT):
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise ValueError(_("Enter text."))
        text = str(value).strip()
        if len(text) > MAX_TEXT[kind]:
            raise ValueError(_("At most %(max)d characters.") % {"max": MAX_TEXT[kind]})
        return text
    if kind == Question.Datatype.NUMBER:
        try:
            number = float(value) if not isinstance(value, bool) else math.nan
        except (TypeError, ValueError):
            number = math.nan
        if not math.isfinite(number):
            raise ValueError(_("Enter a number."))
        return int(number) if number.is_integer() else number
    if kind == Question.Datatype.DATETIME:
        parsed = parse_datetime(str(value)) if isinstance(value, str) else None
        if parsed is None and isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                parsed = None
        if parsed is None:
            raise ValueError(_("Enter a date and time such as 2026-05-01T14:30."))
        return parsed.isoformat()
    keys = question.value_keys()
    if kind == Question.Datatype.SINGLEVALUELIST:
        if isinstance(value, list) and len(value) == 1:
            value = value[0]
        if str(value) not in keys:
            raise ValueError(_("Choose one of: %(choices)s.") % {"choices": ", ".join(keys)})
        return str(value)
    # multivaluelist
    values = value if isinstance(value, list) else [value]
    chosen = [str(item) for item in values]
    unknown = [item for item in chosen if item not in keys]
    if unknown:
        raise ValueError(_("Unknown choice %(value)s; choose from: %(choices)s.") % {"value": unknown[0], "choices": ", ".join(keys)})
    return list(dict.fromkeys(chosen))


def clean_answers(category: Category, answers: dict | None) -> tuple[dict, dict[str, list[str]]]:
    """Cleaned answers and errors keyed by question code; unknown questions are errors too."""
    answers = answers or {}
    if not isinstance(answers, dict):
        return {}, {"answers": [_("Answers must be an object keyed by question code.")]}
    questions = {q.code: q for q in category.questions.all() if q.variable}
    cleaned: dict = {}
    errors: dict[str, list[str]] = {}
    for code in answers:
        if code not in questions:
            errors[str(code)] = [_("This category has no question %(code)s.") % {"code": code}]
    for code, question in questions.items():
        value = answers.get(code)
        if _is_blank(value):
            if question.required:
                errors[code] = [_("This question needs an answer.")]
            continue
        try:
            cleaned[code] = clean_answer(question, value)
        except ValueError as exc:
            errors[code] = [str(exc)]
    return cleaned, errors
