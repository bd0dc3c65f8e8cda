"""The admin's workflow actions and the load_demo command."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import Count

from reports.models import Category, Report, ReportEvent, Status
from tests.factories import QuestionFactory, UserFactory, make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


def test_admin_pages_render(admin_client):
    question = QuestionFactory()
    report = make_report(category=question.category, answers={question.code: "x"})
    for url in ["/admin/reports/report/", f"/admin/reports/report/{report.pk}/change/",
                "/admin/reports/category/", f"/admin/reports/category/{question.category.pk}/change/"]:
        assert admin_client.get(url).status_code == 200, url


def test_admin_actions_change_status_through_the_service(admin_client):
    report = make_report()
    url = "/admin/reports/report/"
    admin_client.post(url, {"action": "acknowledge", "_selected_action": [report.pk]})
    report.refresh_from_db()
    assert report.status == Status.ACKNOWLEDGED
    admin_client.post(url, {"action": "close_resolved", "_selected_action": [report.pk]})
    report.refresh_from_db()
    assert report.status == Status.CLOSED and report.outcome == "resolved"
    assert report.events.filter(kind=ReportEvent.Kind.STATUS).count() == 2
    # A closed report cannot be acknowledged: the service says no and nothing changes.
    response = admin_client.post(url, {"action": "acknowledge", "_selected_action": [report.pk]}, follow=True)
    report.refresh_from_db()
    assert report.status == Status.CLOSED
    assert response.status_code == 200


def test_load_demo_spreads_samples_and_is_idempotent():
    call_command("load_demo", verbosity=0)
    samples = Report.objects.filter(is_sample=True)
    total = samples.count()
    assert 450 <= total <= 510
    assert all(description.startswith("[예시]") for description in samples.values_list("description", flat=True))
    provinces = {code[:2] for code in samples.values_list("local_government__code", flat=True)}
    assert len(provinces) == 17
    seoul = samples.filter(local_government__code__startswith="11").values("local_government").distinct().count()
    assert seoul == 25
    statuses = dict(samples.values_list("status").annotate(n=Count("id")))
    assert set(statuses) == set(Status.values)
    assert samples.values("category").distinct().count() == Category.objects.filter(local_government__isnull=True).count()
    assert Report.objects.counted().count() == 0
    call_command("load_demo", verbosity=0)
    assert Report.objects.filter(is_sample=True).count() == total
