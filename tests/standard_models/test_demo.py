"""The demo's example model: the example barrier-free campaign published as a model, marked as an
example, adoptable; idempotent."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command

from reports.services_categories import category_load_defaults
from standard_models.models import StandardModel
from standard_models.selectors import model_catalogue
from standard_models.services import model_adopt
from tests.standard_models.conftest import JEONJU, government, staff_of

pytestmark = pytest.mark.django_db


def test_the_example_model_is_in_the_catalogue_and_adoptable(settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path
    category_load_defaults()
    call_command("load_demo_campaign", verbosity=0)
    call_command("load_demo_model", verbosity=0)
    call_command("load_demo_model", verbosity=0)  # a second run changes nothing
    model = StandardModel.objects.get()
    assert model.is_example and model.status == "published" and model.origin_government.code == "31010"
    assert list(model_catalogue()) == [model]
    document = model.versions.get().document
    assert [f["key"] for f in document["campaign"]["fields"]] == ["entrance", "door_cm", "note", "photo", "contact"]
    assert document["taxonomy"]["categories"][0]["code"] == "sidewalk"
    assert "[예시]" in client.get("/models/").content.decode()
    adoption = model_adopt(model=model, government=government(JEONJU), starts_on=date(2026, 12, 1), actor=staff_of(JEONJU))
    assert adoption.campaign.is_example and adoption.categories.get().code == "sidewalk-35010"
