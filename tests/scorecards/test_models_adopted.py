"""The scorecards' models_adopted: standard models a government adopted whose start date has come;
example models never count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from scorecards.models import Scorecard
from scorecards.services import scorecards_refresh
from standard_models.models import StandardModel
from standard_models.services import model_adopt
from tests.standard_models.conftest import JEONJU, SUWON, government, publish_suwon_model, staff_of, suwon_campaign

pytestmark = pytest.mark.django_db


def _model():
    officer = staff_of(SUWON, username="suwon-officer")
    moderator = staff_of("11010", role="moderator", username="moderator")
    return publish_suwon_model(officer=officer, campaign=suwon_campaign(officer), moderator=moderator).model


def test_models_adopted_counts_started_adoptions():
    model = _model()
    now = timezone.now()
    model_adopt(model=model, government=government(JEONJU), starts_on=(now - timedelta(days=1)).date(), actor=staff_of(JEONJU))
    model_adopt(model=model, government=government("11010"), starts_on=(now + timedelta(days=10)).date(), actor=staff_of("11010"))
    scorecards_refresh(now=now)
    assert Scorecard.objects.get(area__code=JEONJU).indicators["models_adopted"] == {"value": 1, "low": None, "high": None, "n": 1}
    assert Scorecard.objects.get(area__code="11010").indicators["models_adopted"]["value"] == 0  # not started yet


def test_example_models_never_count():
    model = _model()
    StandardModel.objects.update(is_example=True)
    now = timezone.now()
    model_adopt(model=model, government=government(JEONJU), starts_on=(now - timedelta(days=1)).date(), actor=staff_of(JEONJU))
    scorecards_refresh(now=now)
    assert Scorecard.objects.get(area__code=JEONJU).indicators["models_adopted"]["value"] == 0
