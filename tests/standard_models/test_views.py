"""The catalogue and a model's page: search, evidence, map data, lineage, adoption by staff."""

from __future__ import annotations

import re

import pytest

from standard_models.models import Adoption
from standard_models.services import model_adopt
from tests.standard_models.conftest import JEONJU, government, staff_of
from tests.standard_models.test_services import EXTRA_FIELD, START


def test_catalogue_searches_by_theme_region_and_words(client, published):
    page = client.get("/models/").content.decode()
    assert 'data-model="suwon-barrier-free"' in page and "수원시" in page
    assert 'data-model="suwon-barrier-free"' in client.get("/models/?theme=accessibility&region=31&q=무장애").content.decode()
    assert 'data-model=' not in client.get("/models/?region=35").content.decode()
    assert 'data-model=' not in client.get("/models/?theme=flooding").content.decode()
    assert client.get("/models/?theme=<script>").status_code == 200  # a bad filter is ignored, not a 500


def test_model_page_shows_evidence_map_and_lineage(client, published, jeonju_staff):
    model_adopt(model=published.model, government=government(JEONJU), starts_on=START, actor=jeonju_staff, added_fields=[EXTRA_FIELD])
    page = client.get("/models/suwon-barrier-free/").content.decode()
    assert 'data-count="1"' in page and 'data-tier="documented"' in page
    assert "1,204곳" in page and "수원시 장애인복지과 2025 결과보고" in page  # evidence text and sources
    assert '"role": "origin"' in page and '"code": "35010"' in page  # the map's places
    lineage = re.search(r"<svg.*?</svg>", page, re.S).group(0)
    assert 'data-government="35010"' in lineage and "+braille" in lineage and "v1" in lineage
    assert "leaflet/leaflet.js" in page and "https://unpkg" not in page
    assert '<span class="badge">locked</span>' in page or '<span class="badge">잠김</span>' in page
    assert "준비" in page  # locked fields, playbook phases
    assert 'id="adopt"' not in page  # anonymous: no adoption form
    assert client.get("/models/nothing/").status_code == 404


def test_staff_adopt_from_the_page(client, published):
    officer = staff_of(JEONJU, username="jeonju-page")
    client.force_login(officer)
    page = client.get("/models/suwon-barrier-free/").content.decode()
    assert 'id="adopt"' in page and '<option value="35010">전주시</option>' in page
    response = client.post("/models/suwon-barrier-free/adopt/", {"government": JEONJU, "start": "2026-12-01"})
    adoption = Adoption.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/campaigns/{adoption.campaign.slug}/"
    again = client.post("/models/suwon-barrier-free/adopt/", {"government": JEONJU, "start": "nope"}, follow=True)
    assert again.status_code == 200 and Adoption.objects.count() == 1


@pytest.mark.parametrize("path", ["/models/suwon-barrier-free/adopt/", "/models/suwon-barrier-free/approve/"])
def test_writes_need_a_signed_in_post(client, published, path):
    assert client.get(path).status_code in (302, 405)
    assert client.post(path).status_code == 302 and not Adoption.objects.exists()
