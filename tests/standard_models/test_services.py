"""Publishing, approval and adoption: 수원시's barrier-free campaign becomes a model that 전주시
adopts in one step; a new version's diff merges with 전주시's own field kept."""

from __future__ import annotations

import copy
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from campaigns.models import Campaign
from core.errors import DomainError, ErrorCode
from reports.models import Category
from staff.models import Department
from standard_models.models import AdoptedCategory, Adoption, ModelStatus, ModelVersion, StandardModel
from standard_models.selectors import model_catalogue, model_places, model_version_diff
from standard_models.services import (
    adoption_update,
    model_adopt,
    model_approve,
    model_publish,
)
from tests.standard_models.conftest import DETAILS, JEONJU, SUWON, government, suwon_category

START = date(2026, 12, 1)
JEONJU_POINT = (127.1530, 35.8150)  # 한옥마을, 35011 → 35010 전주시
HAEUNDAE = (129.1604, 35.1587)  # 21090 해운대구
EXTRA_FIELD = {"key": "braille", "label": "점자 안내판", "datatype": "singlevaluelist", "required": False, "public": True,
               "values": [{"key": "yes", "name": "있음"}, {"key": "no", "name": "없음"}]}


def test_first_publication_waits_for_a_moderator(suwon_staff, campaign, moderator):
    version = model_publish(actor=suwon_staff, government=government(SUWON), slug="suwon-barrier-free", campaign=campaign,
                            categories=[suwon_category()], details=copy.deepcopy(DETAILS))
    assert version.model.status == ModelStatus.PENDING and version.published_at is None
    assert not model_catalogue().exists()
    with pytest.raises(DomainError) as caught:
        model_approve(actor=suwon_staff, model=version.model)
    assert caught.value.code == ErrorCode.PERMISSION_DENIED
    model_approve(actor=moderator, model=version.model)
    version.refresh_from_db()
    assert version.published_at is not None and list(model_catalogue()) == [version.model]


def test_only_the_governments_staff_publish_its_campaign(jeonju_staff, campaign):
    with pytest.raises(DomainError) as caught:
        model_publish(actor=jeonju_staff, government=government(SUWON), slug="x-model", campaign=campaign, details=copy.deepcopy(DETAILS))
    assert caught.value.code == ErrorCode.PERMISSION_DENIED
    with pytest.raises(DomainError):
        model_publish(actor=jeonju_staff, government=government(JEONJU), slug="x-model", campaign=campaign, details=copy.deepcopy(DETAILS))
    assert not StandardModel.objects.exists()


def test_versions_are_immutable_and_later_ones_publish_at_once(published, suwon_staff, campaign):
    text = published.document_text
    with pytest.raises(DomainError) as caught:  # version 1 again: refused
        from standard_models.services import _version_store
        document = published.document
        _version_store(document=document, actor=suwon_staff, publish=True)
    assert caught.value.code == ErrorCode.MODEL_VERSION_EXISTS
    details = copy.deepcopy(DETAILS)
    details["playbook"]["phases"].append({"name": "평가", "start_day": 121, "end_day": 150})
    second = model_publish(actor=suwon_staff, government=government(SUWON), slug="suwon-barrier-free", campaign=campaign,
                           categories=[Category.objects.get(code="step-free-access")], details=details)
    assert second.number == 2 and second.published_at is not None
    published.refresh_from_db()
    assert published.document_text == text
    # PostgreSQL itself refuses to rewrite a published version.
    with pytest.raises(IntegrityError), transaction.atomic():
        ModelVersion.objects.filter(pk=published.pk).update(document_text="{}")
    published.refresh_from_db()
    assert published.document_text == text


def adopt(model, actor, **kwargs) -> Adoption:
    return model_adopt(model=model, government=government(JEONJU), starts_on=START, actor=actor, **kwargs)


def test_jeonju_adopts_suwons_model_in_one_step(published, jeonju_staff):
    suwon_before = Campaign.objects.values().get(slug="suwon-barrier-free")
    adoption = adopt(published.model, jeonju_staff, added_fields=[EXTRA_FIELD])

    campaign = adoption.campaign
    assert campaign.organiser_government == government(JEONJU) and list(campaign.governments.all()) == [government(JEONJU)]
    assert campaign.title == "전주시 무장애 지도" and campaign.slug == "suwon-barrier-free-35010"
    assert timezone.localtime(campaign.starts_at).date() == START
    assert timezone.localtime(campaign.ends_at).date() == START + timedelta(days=30)
    assert campaign.participation == "invited" and campaign.coverage_unit == "dong"
    assert campaign.units.exists() and campaign.area.intersects(government(JEONJU).geom)
    assert [f["key"] for f in campaign.form_fields] == ["entrance", "door_width", "note", "photo", "contact", "braille"]
    assert campaign.entry_types == [{"key": "shop", "label": "가게 입구", "colour": "#1f78b4", "icon": "♿"},
                                    {"key": "toilet", "label": "장애인 화장실", "colour": "#33a02c", "icon": "WC"}]

    category = Category.objects.get(code="step-free-access-35010")
    assert category.local_government == government(JEONJU) and category.name == "전주시 보행 턱 신고" and category.sla_days == 14
    assert [(q.code, q.datatype_description, q.description_en) for q in category.questions.all()] == [
        ("kind", "가장 가까운 것을 고르세요.", "What is the problem?"), ("height_cm", "", "Height (cm)")]
    lineage = AdoptedCategory.objects.get(adoption=adoption)
    assert lineage.model_code == "step-free-access" and lineage.category == category
    assert lineage.department == Department.objects.get(local_government=government(JEONJU), name="장애인복지과")
    assert adoption.version == published and adoption.starts_on == START
    assert adoption.changes == {"changed_fields": {}, "added_fields": ["braille"]}

    # 수원시 untouched; the catalogue counts one adoption; the map shows both.
    assert Campaign.objects.values().get(slug="suwon-barrier-free") == suwon_before
    assert Category.objects.get(code="step-free-access").local_government == government(SUWON)
    assert model_catalogue().get().adopters == 1
    assert [(p.code, p.role) for p in model_places(model=published.model)] == [(SUWON, "origin"), (JEONJU, "adopter")]


def test_fidelity_list_survives_adoption(published, jeonju_staff):
    adoption = adopt(published.model, jeonju_staff)
    template = adoption.template
    source = published.document["campaign"]
    assert template == source  # order, choices, help texts, translations, locks, settings, roles, eligibility
    assert [f["key"] for f in adoption.campaign.form_fields] == [f["key"] for f in source["fields"]]
    assert [f["public"] for f in adoption.campaign.form_fields] == [False if f["key"] == "contact" else True for f in source["fields"]]
    assert adoption.campaign.form_fields[0]["values"] == [{"key": v["key"], "name": v["name"]} for v in source["fields"][0]["values"]]
    assert template["settings"]["counted_in_statistics"] is False and template["eligibility"].startswith("만 14세")
    assert published.document["playbook"]["phases"][0]["start_day"] == -30
    questions = Category.objects.get(code="step-free-access-35010").questions.get(code="kind")
    assert questions.values == [{"key": "step", "name": "턱", "name_en": "Step"}, {"key": "slope", "name": "급경사", "name_en": "Steep slope"}]


def test_bad_adoptions_are_refused_and_create_nothing(published, jeonju_staff, suwon_staff):
    counts = lambda: (Campaign.objects.count(), Category.objects.count(), Adoption.objects.count())  # noqa: E731
    before = counts()
    with pytest.raises(DomainError) as caught:
        adopt(published.model, jeonju_staff, changed_fields={"entrance": {"label": "출입구"}})
    assert caught.value.code == ErrorCode.LOCKED_FIELD and "entrance" in caught.value.message
    with pytest.raises(DomainError) as caught:
        adopt(published.model, jeonju_staff, added_fields=[{"key": "x", "label": "X", "datatype": "colour"}])
    assert caught.value.code == ErrorCode.UNKNOWN_DATATYPE
    with pytest.raises(DomainError) as caught:
        adopt(published.model, suwon_staff)  # not 전주시's staff
    assert caught.value.code == ErrorCode.PERMISSION_DENIED
    with pytest.raises(DomainError) as caught:
        model_adopt(model=published.model, government=government(SUWON), starts_on=START, actor=suwon_staff)
    assert caught.value.code == ErrorCode.ALREADY_ADOPTED
    Category.objects.create(code="step-free-access-35010", name="이미 있음", name_en="Taken")
    with pytest.raises(DomainError) as caught:
        adopt(published.model, jeonju_staff)
    assert caught.value.code == ErrorCode.CATEGORY_CODE_CONFLICT
    Category.objects.filter(code="step-free-access-35010").delete()
    assert counts() == before

    adopt(published.model, jeonju_staff, changed_fields={"note": {"label": "비고"}})  # an extendable field may change
    with pytest.raises(DomainError) as caught:
        adopt(published.model, jeonju_staff)
    assert caught.value.code == ErrorCode.ALREADY_ADOPTED and "전주시는 이미 이 모델의 1번 버전을" in caught.value.message


def test_a_new_version_diffs_and_merges_with_jeonjus_extra_field_kept(published, jeonju_staff, suwon_staff, campaign):
    adoption = adopt(published.model, jeonju_staff, added_fields=[EXTRA_FIELD], changed_fields={"note": {"label": "비고"}})
    # Version 2: a new locked field after the entrance, a clearer door-width help, SLA 10 days.
    fields = list(campaign.form_fields)
    fields.insert(1, {"key": "slope", "label": "경사로 기울기", "datatype": "number", "required": False, "public": True, "values": []})
    Campaign.objects.filter(pk=campaign.pk).update(form_fields=fields)
    campaign.refresh_from_db()
    details = copy.deepcopy(DETAILS)
    details["fields"]["door_width"]["help"] = "휠체어가 지나는 가장 좁은 곳을 재세요."
    details["fields"]["slope"] = {"locked": True, "label_en": "Ramp slope"}
    details["workflow"]["step-free-access"]["sla_days"] = 10
    category = Category.objects.get(code="step-free-access")
    second = model_publish(actor=suwon_staff, government=government(SUWON), slug="suwon-barrier-free", campaign=campaign,
                           categories=[category], details=details)

    diff = model_version_diff(old=published, new=second)
    texts = [change["text"] for change in diff]
    assert any("경사로 기울기" in text and change["change"] == "added" for text, change in zip(texts, diff, strict=True))
    door = next(change for change in diff if change["key"] == "door_width")
    assert door["change"] == "changed" and door["locked"] and "help" in door["text"]
    assert any(change["key"] == "step-free-access" and "sla_days" in change["text"] for change in diff)

    adoption = adoption_update(adoption=adoption, version=second, actor=jeonju_staff)
    keys = [f["key"] for f in adoption.template["fields"]]
    assert keys == ["entrance", "slope", "door_width", "note", "photo", "contact", "braille"]
    by_key = {f["key"]: f for f in adoption.template["fields"]}
    assert by_key["braille"] == {**EXTRA_FIELD, "label_en": "", "help": "", "help_en": "", "locked": False,
                                 "values": [{"key": "yes", "name": "있음", "name_en": ""}, {"key": "no", "name": "없음", "name_en": ""}]}
    assert by_key["note"]["label"] == "비고"  # the local change kept
    assert by_key["door_width"]["help"].startswith("휠체어")  # the locked field follows the model, and the diff said so
    assert [f["key"] for f in Campaign.objects.get(pk=adoption.campaign_id).form_fields] == keys
    assert Category.objects.get(code="step-free-access-35010").sla_days == 10
    assert adoption.version == second and adoption.history[0]["from"] == 1 and "braille" in adoption.history[0]["kept"]
