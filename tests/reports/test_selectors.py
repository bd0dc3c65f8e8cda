"""Reads of reports' categories: kept per process, and never stale."""

from __future__ import annotations

import pytest

from geodata.models import Area
from reports.models import Category
from reports.selectors import category_get_active
from tests.factories import CategoryFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def test_a_category_read_again_costs_one_small_query(django_assert_num_queries):
    category = CategoryFactory(code="pothole-cache")
    QuestionFactory(category=category, code="depth")
    first = category_get_active(code="pothole-cache")
    with django_assert_num_queries(1):  # the revision number only
        again = category_get_active(code="pothole-cache")
        assert [q.code for q in again.questions.all()] == ["depth"]
    assert again is first


def test_every_change_shows_at_once():
    category = CategoryFactory(code="lamp-cache", sla_days=7)
    assert category_get_active(code="lamp-cache").sla_days == 7
    Category.objects.filter(pk=category.pk).update(sla_days=3)
    assert category_get_active(code="lamp-cache").sla_days == 3
    QuestionFactory(category=category, code="pole")
    assert [q.code for q in category_get_active(code="lamp-cache").questions.all()] == ["pole"]
    category.is_active = False
    category.save()
    assert category_get_active(code="lamp-cache") is None


def test_a_governments_new_name_shows_in_its_own_categories():
    jongno = Area.objects.current().get(code="11010")
    CategoryFactory(code="jongno-own", local_government=jongno)
    assert category_get_active(code="jongno-own").local_government.name == jongno.name
    Area.objects.filter(pk=jongno.pk).update(name="종로특별구")
    assert category_get_active(code="jongno-own").local_government.name == "종로특별구"


def test_an_unknown_code_is_none_until_it_exists():
    assert category_get_active(code="not-yet") is None
    CategoryFactory(code="not-yet")
    assert category_get_active(code="not-yet").code == "not-yet"
