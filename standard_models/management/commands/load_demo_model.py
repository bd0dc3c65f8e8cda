"""The demo's standard model: the example barrier-free campaign of 수원시 published as a model,
marked as an example, so the catalogue is never empty on a first run."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from campaigns.selectors import campaign_get
from reports.selectors import category_get_active
from standard_models.models import StandardModel
from standard_models.services import model_approve, model_publish

CAMPAIGN = "suwon-barrier-free-example"
SLUG = "barrier-free-map-example"
DETAILS = {
    "identity": {
        "title": "[예시] 무장애 지도 만들기", "title_en": "[Example] Mapping barrier-free access", "theme": "accessibility", "licence": "KOGL-1",
        "summary": "[예시] 주민, 장애인 단체와 구청이 함께 가게 입구, 장애인 화장실과 경사로를 조사하고, 문제는 신고로 이어 고칩니다.",
        "summary_en": "[Example] Residents, disability groups and the city survey entrances, accessible toilets and ramps together; problems become reports.",
    },
    "fields": {
        "entrance": {"locked": True, "label_en": "Entrance", "help": "문 앞의 턱이나 계단을 보고 고르세요.", "help_en": "Look at the step or stairs at the door.",
                     "values_en": {"flat": "Level", "step": "Step or stairs", "ramp": "Ramp"}},
        "door_cm": {"locked": True, "label_en": "Door width (cm)", "help": "가장 좁은 곳을 재세요.", "help_en": "Measure the narrowest point."},
        "note": {"label_en": "Note"}, "photo": {"label_en": "Photo"}, "contact": {"label_en": "Shop contact (private)"},
    },
    "entry_types_en": {"shop": "Shop entrance", "toilet": "Accessible toilet", "ramp": "Ramp"},
    "campaign": {
        "roles": [{"role": "organiser", "team": "장애인복지과", "duties": "조사 구역을 나누고 결과를 신고로 잇습니다."},
                  {"role": "validator", "team": "장애인 단체", "duties": "입력을 검수합니다."},
                  {"role": "mapper", "team": "", "duties": "현장을 조사합니다."}],
        "eligibility": "누구나 (로그인)",
        "settings": {"counted_in_statistics": False, "public_dashboard": True, "entries_become_reports": True},
    },
    "workflow": {"sidewalk": {"sla_days": 7, "department": "도로과"}},
    "playbook": {
        "phases": [{"name": "준비", "name_en": "Preparation", "start_day": -21, "end_day": -1, "tasks": ["단체 섭외", "조사원 교육"]},
                   {"name": "조사", "name_en": "Survey", "start_day": 0, "end_day": 60, "tasks": ["현장 조사", "검수", "문제는 신고로"]},
                   {"name": "개선과 공유", "name_en": "Fix and share", "start_day": 61, "end_day": 150, "tasks": ["경사로 설치 지원", "결과 공개"]}],
        "roles": [{"name": "조사원", "duties": "현장 입력"}],
        "partners": [{"name": "[예시] 지역 장애인 단체", "role": "검수와 교육"}],
        "materials": [{"title": "조사원 안내서", "text": "입구 폭은 가장 좁은 곳을, 턱은 가장 높은 곳을 잽니다."}],
    },
    "indicators": [{"key": "entries_validated", "window_days": 60}, {"key": "reports_by_category", "category": "sidewalk", "window_days": 90},
                   {"key": "scorecard:share_closed_within_sla", "window_days": 180}],
    "evidence": {"text": "[예시] 동네의 예시 데이터입니다. 실제 결과가 아니며, 어떤 통계에도 세지 않습니다. "
                         "실제 모델은 조사 전후의 수치와 출처를 여기에 적습니다.",
                 "figures": [{"label": "[예시] 턱 없는 입구 비율", "before": 30, "after": 40, "unit": "%", "source": "[예시] 데모 데이터"}],
                 "sources": ["[예시] 데모 데이터"]},
}


class Command(BaseCommand):
    help = "Publish the example barrier-free campaign (load_demo_campaign) as an example standard model unless it exists."

    def handle(self, *args, **options):
        if StandardModel.objects.filter(slug=SLUG).exists():
            self.stdout.write("The example model already exists: nothing to do.")
            return
        campaign = campaign_get(slug=CAMPAIGN)
        if campaign is None:
            raise CommandError(f"The example campaign {CAMPAIGN} does not exist: run load_demo_campaign first.")
        category = category_get_active(code="sidewalk")
        if category is None:
            raise CommandError("The default categories are missing: run load_demo or load_categories first.")
        # The operator running the command holds every power (an unsaved superuser, as in load_demo_campaign).
        operator = get_user_model()(username="load_demo_model", is_superuser=True)
        with transaction.atomic():
            version = model_publish(actor=operator, government=campaign.organiser_government, slug=SLUG, campaign=campaign,
                                    categories=[category], details=DETAILS, is_example=True)
            model_approve(actor=operator, model=version.model)
        self.stdout.write(f"Published the example model /models/{SLUG}/.")
