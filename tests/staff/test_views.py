from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import Report, ReportEvent, Status
from staff.models import StaffRole
from tests.factories import HAEUNDAE, SUWON_PALDAL, CategoryFactory, UserFactory, make_report
from tests.staff.conftest import grant

pytestmark = pytest.mark.django_db


def test_queue_lists_only_own_governments_reports_overdue_first(client, jongno_staff, django_assert_max_num_queries):
    late = make_report(description="late one")
    Report.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(days=2))
    soon = make_report(description="soon one")
    closed = make_report(description="closed one")
    Report.objects.filter(pk=closed.pk).update(status=Status.CLOSED, outcome="resolved", due_at=timezone.now() - timedelta(days=9))
    unconfirmed = make_report(reporter=None, reporter_email="x@example.kr")
    foreign = make_report(at=HAEUNDAE)
    for _ in range(5):
        make_report()
    client.force_login(jongno_staff)
    # 8, plus the department and officer lists of the bulk-assignment form.
    with django_assert_max_num_queries(10):
        response = client.get(reverse("staff:queue"))
    assert response.status_code == 200
    rows = [report.pk for report in response.context["page"]]
    assert rows[0] == late.pk and rows[-1] == closed.pk
    assert soon.pk in rows and unconfirmed.pk in rows and foreign.pk not in rows
    body = response.content.decode()
    assert "/exports/reports.geojson?local_government=11010" in body and "/exports/reports.csv?local_government=11010" in body

    response = client.get(reverse("staff:queue"), {"status": "open"})
    assert closed.pk not in [report.pk for report in response.context["page"]]
    response = client.get(reverse("staff:queue"), {"status": "nonsense"})
    assert response.status_code == 200  # an unknown choice is ignored by the form, never a 500


def test_city_staff_see_reports_of_their_districts(client):
    suwon = grant("31010", username="suwon-officer")
    report = make_report(at=SUWON_PALDAL)
    client.force_login(suwon)
    response = client.get(reverse("staff:queue"))
    assert [r.pk for r in response.context["page"]] == [report.pk]


def test_queue_needs_a_role(client):
    response = client.get(reverse("staff:queue"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(UserFactory())
    assert client.get(reverse("staff:queue")).status_code == 403


def test_report_page_shows_private_details_only_to_that_governments_staff(client, jongno_staff, haeundae_staff, jongno_expert):
    report = make_report(reporter=None, reporter_email="secret@example.kr", reporter_phone="010-1234-5678")
    url = reverse("staff:report", args=[report.pk])
    client.force_login(jongno_staff)
    body = client.get(url).content.decode()
    assert "secret@example.kr" in body and "010-1234-5678" in body
    client.force_login(jongno_expert)
    body = client.get(url).content.decode()
    assert "secret@example.kr" not in body
    client.force_login(haeundae_staff)
    assert client.get(url).status_code == 404
    for name in ["staff:report-status", "staff:report-update", "staff:report-reroute", "staff:report-moderate", "staff:report-assign"]:
        assert client.post(reverse(name, args=[report.pk]), {"to_status": "acknowledged", "public_note": "x", "reason": "x", "action": "hide_report"}).status_code == 404
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED and not report.is_hidden


def test_acknowledge_through_the_screen(client, jongno_staff, deliver_mail, django_capture_on_commit_callbacks):
    report = make_report(reporter=UserFactory(email="me@example.kr"))
    deliver_mail().clear()  # the staff notice of the new report
    client.force_login(jongno_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("staff:report-status", args=[report.pk]), {"to_status": "acknowledged", "public_note": "접수했습니다"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.ACKNOWLEDGED
    assert report.events.get(kind=ReportEvent.Kind.STATUS).public_note == "접수했습니다"
    assert [m.to for m in deliver_mail()] == [["me@example.kr"]]


def test_bad_status_input_is_a_clear_400(client, jongno_staff):
    report = make_report()
    client.force_login(jongno_staff)
    response = client.post(reverse("staff:report-status", args=[report.pk]), {"to_status": "closed"})  # no outcome
    assert response.status_code == 400
    response = client.post(reverse("staff:report-status", args=[report.pk]), {"to_status": "bogus"})
    assert response.status_code == 400
    response = client.post(reverse("staff:report-reroute", args=[report.pk]), {"to_government": "99999", "reason": "x"})
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED and report.events.count() == 1


def test_expert_cannot_change_status_through_the_screen(client, jongno_expert):
    report = make_report()
    client.force_login(jongno_expert)
    assert client.post(reverse("staff:report-status", args=[report.pk]), {"to_status": "acknowledged"}).status_code == 403


def test_reroute_through_the_screen_hands_the_report_over(client, jongno_staff, haeundae_staff):
    report = make_report()
    client.force_login(jongno_staff)
    response = client.post(reverse("staff:report-reroute", args=[report.pk]), {"to_government": "21090", "reason": "관할 아님"})
    assert response.status_code == 302
    assert client.get(reverse("staff:report", args=[report.pk])).status_code == 404
    client.force_login(haeundae_staff)
    assert report.pk in [r.pk for r in client.get(reverse("staff:queue")).context["page"]]


def test_moderator_hides_comment_through_the_screen(client, jongno_moderator):
    from reports.models import Comment

    report = make_report(category=CategoryFactory())
    comment = Comment.objects.create(report=report, author_email="a@example.kr", text="광고")
    client.force_login(jongno_moderator)
    response = client.post(reverse("staff:report-moderate", args=[report.pk]), {"action": "hide_comment", "comment": comment.pk, "reason": "광고"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.is_hidden
    assert StaffRole.objects.filter(user=jongno_moderator).count() == 1
