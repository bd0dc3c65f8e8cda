"""The reporter's private link: in every email to them, it shows, reopens and silences the report."""

import re

import pytest
from django.urls import reverse

from reports.models import Outcome, ReportEvent, Status
from reports.services import report_support
from staff import services as staff_services
from tests.factories import UserFactory, make_report
from tests.staff.conftest import grant

pytestmark = pytest.mark.django_db


def _manage_link(body: str) -> str:
    return re.search(r"https?://\S+/reports/\d+/manage/[0-9a-f-]{36}/", body).group(0)


def test_email_only_reporter_gets_the_link_and_uses_it(client, mailoutbox, django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://dongne.example"
    officer = grant("11010", username="jongno-officer-m")
    with django_capture_on_commit_callbacks(execute=True):
        report = make_report(reporter=None, reporter_email="walker@example.kr", description="맨홀 뚜껑이 흔들려요")
    confirmation = next(m for m in mailoutbox if m.to == ["walker@example.kr"])
    link = _manage_link(confirmation.body)
    assert link == f"https://dongne.example/reports/{report.pk}/manage/{report.token}/"
    path = link.removeprefix("https://dongne.example")

    # Before confirmation the public page is a 404, the private one shows the report.
    assert client.get(reverse("mapping:report-detail", args=[report.pk])).status_code == 404
    body = client.get(path).content.decode()
    assert "맨홀 뚜껑이 흔들려요" in body and 'name="robots" content="noindex"' in body

    report.confirmed_at = report.created_at
    report.save(update_fields=["confirmed_at"])
    supporter = UserFactory(email="neighbour@example.kr")
    report_support(report=report, user=supporter)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        staff_services.staff_change_status(report=report, actor=officer, to_status=Status.CLOSED, outcome=Outcome.RESOLVED, public_note="고정했습니다")
    to_reporter = next(m for m in mailoutbox if m.to == ["walker@example.kr"])
    to_supporter = next(m for m in mailoutbox if m.to == ["neighbour@example.kr"])
    assert _manage_link(to_reporter.body) == link
    assert "/manage/" not in to_supporter.body  # the private link reopens the report: reporter only

    response = client.post(path, {"action": "reopen", "reason": ""})
    assert response.status_code == 400 and 'class="field-error"' in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(path, {"action": "reopen", "reason": "아직 흔들려요"}).status_code == 302
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    assert report.events.filter(kind=ReportEvent.Kind.REOPENED).get().is_by_reporter

    assert client.post(path, {"action": "stop_emails"}).status_code == 302
    assert "walker@example.kr" in client.get(path).content.decode()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        staff_services.staff_change_status(report=report, actor=officer, to_status=Status.ACKNOWLEDGED)
    assert [m.to for m in mailoutbox] == [["neighbour@example.kr"]]
    client.post(path, {"action": "resume_emails"})
    with django_capture_on_commit_callbacks(execute=True):
        staff_services.staff_change_status(report=report, actor=officer, to_status=Status.IN_PROGRESS)
    assert ["walker@example.kr"] in [m.to for m in mailoutbox]


def test_a_wrong_token_shows_nothing(client):
    report = make_report()
    other = make_report()
    assert client.get(reverse("mapping:report-manage", args=[report.pk, other.token])).status_code == 404
    assert client.post(reverse("mapping:report-manage", args=[report.pk, other.token]), {"action": "stop_emails"}).status_code == 404
