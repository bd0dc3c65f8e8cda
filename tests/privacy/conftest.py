"""A small world of reports filed through the real channels, seeded with private canary strings.

Every report, comment and support is made the way residents and apps make them: the web form
(anonymous with an emailed confirmation, and signed in), the REST API and Open311 with a key,
the web and REST comment and support endpoints. The canaries are distinctive enough that finding
one in any public output can only mean it leaked.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client

from clients.services import api_client_create, api_key_create
from notifications.worker import jobs_run_here
from reports.models import Report
from tests.factories import JONGNO, CategoryFactory, UserFactory

CANARY = "privacy-canary-7f3a"
# The sensitive report's exact point, away from the centre of its ~100 m grid cell
# (COARSE_GRID_DEGREES = 0.001 puts its public point at 129.1635, 35.1635), in 해운대구, Busan.
SENSITIVE_EXACT = (129.1631134, 35.1631267)
# Where a resident nearby looks for it: neither its exact nor its public point.
NEAR_SENSITIVE = (129.163, 35.163)
# The other reports, in 종로구, Seoul: a few metres apart, all public as they are.
SEOUL = [(JONGNO[0] + i * 0.0002, JONGNO[1]) for i in range(4)]

SHOWN_REPORTER_NAME = "김공개이름"
SHOWN_COMMENT_NAME = "댓글공개이름"


@dataclass
class World:
    sensitive: Report  # Open311, sensitive category, email + name + phone + device id
    web_anonymous: Report  # web form by email (confirmed by its link), name not shown, commented on
    rest: Report  # REST with email + name + phone, name not shown, supported by email
    signed_in_hidden: Report  # web form, signed in, name not shown
    signed_in_named: Report  # web form, signed in, chose to show their name
    sensitive_category: str
    normal_category: str
    read_key: str
    secrets: list[str] = field(default_factory=list)

    @property
    def reports(self) -> list[Report]:
        return [self.sensitive, self.web_anonymous, self.rest, self.signed_in_hidden, self.signed_in_named]

    @property
    def seoul_reports(self) -> list[Report]:
        return self.reports[1:]


def _web_report(client: Client, *, category: str, at: tuple[float, float], description: str, **fields) -> None:
    client.get("/reports/new/")
    token = client.session["report_form_tokens"][-1]
    data = {"form_token": token, "lon": at[0], "lat": at[1], "category": category, "description": description, **fields}
    response = client.post("/reports/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker):
    """Built once per module, in a transaction rolled back after its last test.

    Each test's own transaction is then a savepoint inside it, as with Django's
    TestCase.setUpTestData: filing through every channel once instead of once per output.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


@pytest.fixture
def world(_module_world, db) -> World:
    return _module_world


def _build_world() -> World:
    sensitive_category = CategoryFactory(code="privacy-unsafe", name="위험 장소", name_en="Unsafe place", is_sensitive=True)
    normal_category = CategoryFactory(code="privacy-pothole", name="도로 파손", name_en="Road damage")
    filing_app = api_client_create(name="Filing app")
    _key, submit_key = api_key_create(client=filing_app, scopes=["read", "submit"])
    _key, read_key = api_key_create(client=api_client_create(name="Reading app"), scopes=["read"])
    app = Client()

    # Open311, sensitive category.
    response = app.post("/open311/v2/requests.json", {
        "api_key": submit_key, "service_code": sensitive_category.code,
        "lat": f"{SENSITIVE_EXACT[1]}", "long": f"{SENSITIVE_EXACT[0]}",
        "description": "[canary-A] 밤에 가로등이 없어 위험해요",
        "email": f"{CANARY}+open311@example.org", "first_name": "영희카나리아", "last_name": "이카나리아성",
        "phone": "010-9876-5432", "device_id": "device-canary-7f3a",
    })
    assert response.status_code == 200, response.content[:2000]
    sensitive = Report.objects.get(pk=json.loads(response.content)[0]["service_request_id"])

    # Web form, anonymous: public only after the emailed confirmation link is followed.
    anonymous = Client()
    _web_report(
        anonymous, category=normal_category.code, at=SEOUL[0], description="[canary-B] 보도블록이 깨졌어요",
        email=f"{CANARY}+web@example.org", consent="on", name="홍길동카나리아",
    )
    web_anonymous = Report.objects.get(description__startswith="[canary-B]")
    assert anonymous.get(f"/reports/confirm/{web_anonymous.confirmation_token}/").status_code == 302

    # REST, with every private field.
    response = app.post("/api/v1/reports/", json.dumps({
        "category": normal_category.code, "lat": SEOUL[1][1], "lon": SEOUL[1][0], "description": "[canary-C] 맨홀 뚜껑이 흔들려요",
        "email": f"{CANARY}+rest@example.org", "name": "김철수카나리아", "phone": "010-5555-7788", "show_name": False,
    }), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {submit_key}")
    assert response.status_code == 201, response.content[:2000]
    rest = Report.objects.get(pk=json.loads(response.content)["id"])

    # Web form, signed in: the account's name is private unless shown.
    hidden_user = UserFactory(username="canary-user-7f3a", email=f"{CANARY}+account@example.org", first_name="민수카나리아", last_name="박", password=None)
    signed_in = Client()
    signed_in.force_login(hidden_user)
    _web_report(signed_in, category=normal_category.code, at=SEOUL[2], description="[canary-D] 신호등이 고장났어요")
    signed_in_hidden = Report.objects.get(description__startswith="[canary-D]")

    named_user = UserFactory(username="named-resident", email=f"{CANARY}+named@example.org", first_name="공개", last_name="김", password=None)
    named = Client()
    named.force_login(named_user)
    _web_report(
        named, category=normal_category.code, at=SEOUL[3], description="[canary-E] 쓰레기가 쌓여 있어요",
        name=SHOWN_REPORTER_NAME, show_name="on",
    )
    signed_in_named = Report.objects.get(description__startswith="[canary-E]")

    # A comment and a support by email through the web; a named comment and a support through REST.
    response = Client().post(f"/alerts/reports/{web_anonymous.pk}/comments/", {
        "text": "[canary-comment] 저도 봤어요", "email": f"{CANARY}+comment@example.org", "name": "댓글카나리아",
    })
    assert response.status_code == 302 and web_anonymous.comments.count() == 1
    response = Client().post(f"/reports/{rest.pk}/support/", {"email": f"{CANARY}+support@example.org"})
    assert response.status_code == 302
    # An email-only support counts once its emailed link is opened (the worker delivers it first).
    jobs_run_here()
    confirm = next(re.search(r"/reports/supports/confirm/\S+/", m.body).group(0) for m in mail.outbox if "/supports/confirm/" in m.body)
    assert Client().get(confirm).status_code == 302
    response = app.post(f"/api/v1/reports/{web_anonymous.pk}/comments/", json.dumps({
        "text": "[canary-rest-comment] 빨리 고쳐 주세요", "email": f"{CANARY}+restcomment@example.org",
        "name": SHOWN_COMMENT_NAME, "show_name": True,
    }), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {submit_key}")
    assert response.status_code == 201, response.content[:2000]
    response = app.post(f"/api/v1/reports/{rest.pk}/support/", json.dumps({"email": f"{CANARY}+restsupport@example.org"}),
                        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {submit_key}")
    assert response.status_code == 201, response.content[:2000]
    rest.refresh_from_db()
    assert rest.support_count == 2

    world = World(
        sensitive=sensitive, web_anonymous=web_anonymous, rest=rest, signed_in_hidden=signed_in_hidden,
        signed_in_named=signed_in_named, sensitive_category=sensitive_category.code,
        normal_category=normal_category.code, read_key=read_key,
    )
    world.secrets = [
        CANARY, "example.org",
        "010-9876-5432", "01098765432", "010-5555-7788", "01055557788",
        "영희카나리아", "이카나리아성", "홍길동카나리아", "김철수카나리아", "민수카나리아", "canary-user-7f3a", "댓글카나리아",
        "device-canary-7f3a",
        str(web_anonymous.confirmation_token),
        # The sensitive report's exact point, as any output would print it.
        f"{SENSITIVE_EXACT[0]:.6f}", f"{SENSITIVE_EXACT[1]:.6f}", repr(SENSITIVE_EXACT[0]), repr(SENSITIVE_EXACT[1]),
    ]
    # What the test relies on: every report public, the sensitive one moved, the rest exactly placed.
    assert Report.objects.public().count() == 5
    assert sensitive.location.coords == pytest.approx(SENSITIVE_EXACT)
    assert sensitive.public_location.coords == pytest.approx((129.1635, 35.1635))
    assert all(report.public_location == report.location for report in world.seoul_reports)
    return world
