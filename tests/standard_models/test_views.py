"""The catalogue and a model's page: search, evidence, map data, lineage, adoption by staff."""

from __future__ import annotations

import copy
import re

import pytest

from standard_models.models import Adoption, StandardModel
from standard_models.services import model_adopt, model_approve, model_publish
from tests.standard_models.conftest import DETAILS, JEONJU, SUWON, government, staff_of, suwon_category
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


def test_staff_publish_a_campaign_from_the_page_and_a_moderator_approves(client, campaign, suwon_staff, moderator):
    suwon_category()
    assert client.get("/models/publish/").status_code == 302  # sign in first
    client.force_login(suwon_staff)
    page = client.get("/models/publish/").content.decode()
    assert 'value="suwon-barrier-free"' in page and 'value="step-free-access"' in page
    form = {"government": SUWON, "campaign": "suwon-barrier-free", "categories": ["step-free-access"], "slug": "suwon-ramps",
            "title": "수원시 무장애 지도", "summary": "함께 조사합니다.", "theme": "accessibility", "licence": "KOGL-1",
            "locked": "entrance, door_width", "phases": "준비 | -30 | -1\n조사 | 0 | 29", "evidence": "턱 없는 입구가 31%에서 44%로 늘었습니다."}
    bad = client.post("/models/publish/", {**form, "locked": "nothing_like_this", "evidence": "https://example.org"})
    assert bad.status_code == 400 and "evidence.text" in bad.content.decode() and not StandardModel.objects.exists()
    response = client.post("/models/publish/", form)
    assert response.status_code == 302 and response["Location"] == "/models/suwon-ramps/"
    model = StandardModel.objects.get()
    assert model.status == "pending" and client.get("/models/suwon-ramps/").status_code == 200  # its publisher sees it
    document = model.versions.get().document
    assert [f["key"] for f in document["campaign"]["fields"] if f["locked"]] == ["entrance", "door_width"]
    assert [p["name"] for p in document["playbook"]["phases"]] == ["준비", "조사"]
    client.logout()
    assert client.get("/models/suwon-ramps/").status_code == 404  # pending: not public
    client.force_login(moderator)
    assert client.post("/models/suwon-ramps/approve/").status_code == 302
    model.refresh_from_db()
    assert model.status == "published"


def test_categories_and_workflow_alone_make_a_model_adopters_run(suwon_staff, moderator, jeonju_staff):
    version = model_publish(actor=suwon_staff, government=government(SUWON), slug="suwon-steps", categories=[suwon_category()],
                            details={**copy.deepcopy(DETAILS), "campaign": None})
    assert version.document["campaign"] is None
    model_approve(actor=moderator, model=version.model)
    adoption = model_adopt(model=version.model, government=government(JEONJU), starts_on=START, actor=jeonju_staff)
    assert adoption.campaign is None and adoption.categories.get().code == "step-free-access-35010"
