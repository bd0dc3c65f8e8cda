"""A barrier-free campaign of 수원시 (31010) with its own category, published as a model that
전주시 (35010) adopts; staff of both and a moderator."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.services import campaign_create
from geodata.models import Area
from reports.models import Category, Question
from staff.models import StaffRole
from standard_models.services import model_approve, model_publish
from tests.factories import UserFactory

SUWON, JEONJU = "31010", "35010"

FORM_FIELDS = [
    {"key": "entrance", "label": "입구 형태", "datatype": "singlevaluelist", "required": True, "public": True,
     "values": [{"key": "flat", "name": "턱 없음"}, {"key": "step", "name": "계단·턱"}, {"key": "ramp", "name": "경사로"}]},
    {"key": "door_width", "label": "문 폭(cm)", "datatype": "number", "required": False, "public": True, "values": []},
    {"key": "note", "label": "메모", "datatype": "text", "required": False, "public": True, "values": []},
    {"key": "photo", "label": "사진", "datatype": "photo", "required": False, "public": True, "values": []},
    {"key": "contact", "label": "연락처 (비공개)", "datatype": "string", "required": False, "public": False, "values": []},
]
ENTRY_TYPES = [
    {"key": "shop", "label": "가게 입구", "colour": "#1f78b4", "icon": "♿"},
    {"key": "toilet", "label": "장애인 화장실", "colour": "#33a02c", "icon": "WC"},
]
DETAILS = {
    "identity": {"title": "수원시 무장애 지도", "title_en": "Suwon barrier-free map", "licence": "KOGL-1",
                 "summary": "주민과 장애인 단체가 함께 가게 입구와 화장실의 접근성을 조사합니다.",
                 "summary_en": "Residents and disability groups survey shop entrances and toilets.", "theme": "accessibility"},
    "fields": {
        "entrance": {"locked": True, "label_en": "Entrance", "help": "문 앞의 턱이나 계단을 보고 고르세요.",
                     "help_en": "Look at the step or stairs at the door.", "values_en": {"flat": "Level", "step": "Step or stairs", "ramp": "Ramp"}},
        "door_width": {"locked": True, "label_en": "Door width (cm)", "help": "줄자로 가장 좁은 곳을 재세요."},
        "note": {"label_en": "Note"},
    },
    "entry_types_en": {"shop": "Shop entrance", "toilet": "Accessible toilet"},
    "campaign": {
        "roles": [{"role": "organiser", "team": "장애인복지과", "duties": "조사 구역 배정"},
                  {"role": "validator", "team": "장애인 단체", "duties": "입력 검수"},
                  {"role": "mapper", "team": "", "duties": "현장 조사"}],
        "eligibility": "만 14세 이상, 사전 교육 이수자", "title_en": "Suwon barrier-free map",
        "settings": {"counted_in_statistics": False, "public_dashboard": True, "entries_become_reports": True},
    },
    "workflow": {"step-free-access": {"sla_days": 14, "department": "장애인복지과"}},
    "playbook": {
        "phases": [{"name": "준비", "name_en": "Preparation", "start_day": -30, "end_day": -1, "tasks": ["단체 섭외", "조사원 교육"]},
                   {"name": "조사", "name_en": "Survey", "start_day": 0, "end_day": 29, "tasks": ["현장 조사", "검수"]},
                   {"name": "개선", "start_day": 30, "end_day": 120, "tasks": ["경사로 설치 지원"]}],
        "roles": [{"name": "조사원", "duties": "현장 입력"}], "partners": [{"name": "수원시장애인단체총연합회", "role": "검수"}],
        "materials": [{"title": "조사원 안내서", "text": "입구 폭은 가장 좁은 곳을 잽니다."}],
    },
    "indicators": [{"key": "entries_validated", "window_days": 30},
                   {"key": "reports_by_category", "category": "step-free-access", "window_days": 90},
                   {"key": "scorecard:share_closed_within_sla", "window_days": 180}],
    "evidence": {"text": "2025년 조사로 1,204곳의 입구를 확인했고, 경사로 지원 후 턱 없는 입구가 늘었습니다.",
                 "figures": [{"label": "턱 없는 입구 비율", "before": 31.5, "after": 44, "unit": "%", "source": "수원시 장애인복지과 2025 결과보고"}],
                 "sources": ["수원시 장애인복지과 2025 결과보고"]},
    "photos": [{"url": "/media/models/ramp.jpg", "sha256": "a" * 64, "caption": "설치된 경사로"}],
}


def government(code: str) -> Area:
    return Area.objects.current().get(code=code)


def staff_of(code: str, role: str = StaffRole.Role.STAFF, **kwargs):
    user = UserFactory(**kwargs)
    StaffRole.objects.create(user=user, local_government=government(code), role=role)
    return user


def suwon_category() -> Category:
    category = Category.objects.create(
        code="step-free-access", name="수원시 보행 턱 신고", name_en="Step-free access", description="입구·보도의 턱",
        description_en="Steps at entrances and pavements", group="보행", group_en="Walking", keywords="턱,경사로",
        local_government=government(SUWON), sla_days=14,
    )
    Question.objects.create(category=category, code="kind", datatype="singlevaluelist", description="무엇이 문제인가요?",
                            description_en="What is the problem?", datatype_description="가장 가까운 것을 고르세요.", required=True, order=0,
                            values=[{"key": "step", "name": "턱", "name_en": "Step"}, {"key": "slope", "name": "급경사", "name_en": "Steep slope"}])
    Question.objects.create(category=category, code="height_cm", datatype="number", description="높이(cm)", description_en="Height (cm)", order=1)
    return category


def suwon_campaign(actor, **kwargs):
    now = timezone.now()
    values = {
        "slug": "suwon-barrier-free", "title": "수원시 무장애 지도", "theme": "accessibility",
        "description": "수원시 가게 입구와 화장실을 함께 지도에 담아요.", "organiser_government": government(SUWON),
        "starts_at": now - timedelta(days=1), "ends_at": now + timedelta(days=29), "participation": "invited",
        "coverage_unit": "dong", "form_fields": FORM_FIELDS, "entry_types": ENTRY_TYPES,
    }
    values.update(kwargs)
    return campaign_create(actor=actor, **values)


@pytest.fixture
def suwon_staff(db):
    return staff_of(SUWON, username="suwon-officer")


@pytest.fixture
def jeonju_staff(db):
    return staff_of(JEONJU, username="jeonju-officer")


@pytest.fixture
def moderator(db):
    return staff_of("11010", role=StaffRole.Role.MODERATOR, username="moderator")


@pytest.fixture
def campaign(suwon_staff):
    return suwon_campaign(suwon_staff)


def publish_suwon_model(*, officer, campaign, moderator):
    """Version 1 of `suwon-barrier-free`, published from the campaign and the category, approved."""
    version = model_publish(actor=officer, government=government(SUWON), slug="suwon-barrier-free", campaign=campaign,
                            categories=[suwon_category()], details=copy.deepcopy(DETAILS))
    model_approve(actor=moderator, model=version.model)
    version.refresh_from_db()
    return version


@pytest.fixture
def published(suwon_staff, campaign, moderator):
    return publish_suwon_model(officer=suwon_staff, campaign=campaign, moderator=moderator)
