"""The staff report page shows everything; the queue has a map, bulk work and a superuser view."""

import re

import pytest
from django.urls import reverse

from reports.models import Question, Report, ReportEvent, ReportPhoto, Status
from staff import services
from staff.models import Department, ReplyTemplate, ReportAssignment
from tests.factories import HAEUNDAE, CategoryFactory, QuestionFactory, UserFactory, make_report, photo_upload

pytestmark = pytest.mark.django_db


def test_report_page_shows_answers_photos_map_and_nearby(client, jongno_staff):
    category = CategoryFactory(name="도로 파손")
    QuestionFactory(category=category, code="size", description="파인 곳의 크기", datatype=Question.Datatype.SINGLEVALUELIST,
                    values=[{"key": "small", "name": "작음"}, {"key": "large", "name": "큼"}])
    QuestionFactory(category=category, code="lanes", description="차로 수", datatype=Question.Datatype.NUMBER)
    report = make_report(category=category, answers={"size": "large", "lanes": 2}, photos=[photo_upload(), photo_upload()])
    ReportPhoto.objects.filter(pk=report.photos.first().pk).update(is_hidden=True)
    neighbour = make_report(at=(126.9770, 37.5760))
    far = make_report(at=HAEUNDAE)
    client.force_login(jongno_staff)
    response = client.get(reverse("staff:report", args=[report.pk]))
    body = response.content.decode()
    assert "<dt>파인 곳의 크기</dt><dd>큼</dd>" in body and "<dt>차로 수</dt><dd>2</dd>" in body
    assert body.count("<figure") == 2 and body.count('class="photo-hidden"') == 1
    assert 'id="staff-report-map"' in body and "leaflet/leaflet.js" in body
    points = response.context["points"]
    assert points[0] == {**points[0], "id": report.pk, "current": True, "lat": round(report.location.y, 6)}
    assert [p["id"] for p in points[1:]] == [neighbour.pk] and far.pk not in [p["id"] for p in points]
    assert 'id="timeline"' in body
    assert not re.search(r'(src|href)="(https?:)?//', body)  # nothing from another host


def test_not_accepted_without_reason_shows_the_error_beside_the_reason(client, jongno_staff):
    report = make_report()
    client.force_login(jongno_staff)
    response = client.post(reverse("staff:report-status", args=[report.pk]), {"to_status": "closed", "outcome": "not_accepted"})
    assert response.status_code == 400
    body = response.content.decode()
    reason_field = body[body.index('for="status-reason"') - 200:body.index('name="reason"', body.index('for="status-reason"'))]
    assert 'class="field-error"' in reason_field
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


def test_success_message_shows_once(client, jongno_staff):
    report = make_report()
    client.force_login(jongno_staff)
    response = client.post(reverse("staff:report-update", args=[report.pk]), {"public_note": "확인 중입니다"}, follow=True)
    assert response.content.decode().count("답변을 올렸습니다.") == 1


def test_saved_reply_fills_an_empty_note(client, jongno_staff, jongno):
    template = ReplyTemplate.objects.create(local_government=jongno, title="접수", text="접수했습니다. 7일 안에 답하겠습니다.")
    report = make_report()
    client.force_login(jongno_staff)
    response = client.get(reverse("staff:report", args=[report.pk]))
    assert response.content.decode().count('name="reply_template"') == 2  # the status and the update forms
    assert response.context["reply_template_texts"] == {str(template.pk): template.text}
    response = client.post(reverse("staff:report-status", args=[report.pk]), {"to_status": "acknowledged", "reply_template": template.pk})
    assert response.status_code == 302
    assert report.events.get(kind=ReportEvent.Kind.STATUS).public_note == template.text


def test_reroute_by_name(client, jongno_staff):
    report = make_report()
    client.force_login(jongno_staff)
    response = client.post(reverse("staff:report-reroute", args=[report.pk]), {"to_government": "해운대구", "reason": "관할 아님"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.local_government.code == "21090"


def test_bulk_acknowledge_and_assign(client, jongno_staff, jongno, haeundae_staff):
    first, second, done = make_report(), make_report(), make_report()
    services.staff_change_status(report=done, actor=jongno_staff, to_status=Status.ACKNOWLEDGED)
    foreign = make_report(at=HAEUNDAE)
    client.force_login(jongno_staff)
    response = client.post(reverse("staff:queue-bulk"), {"action": "acknowledge", "reports": [first.pk, second.pk, done.pk]})
    assert response.status_code == 302
    assert set(Report.objects.filter(status=Status.ACKNOWLEDGED).values_list("pk", flat=True)) == {first.pk, second.pk, done.pk}
    assert ReportEvent.objects.filter(kind=ReportEvent.Kind.STATUS, report__in=[first, second]).count() == 2
    assert done.events.filter(kind=ReportEvent.Kind.STATUS).count() == 1

    roads = Department.objects.create(local_government=jongno, name="도로과")
    response = client.post(reverse("staff:queue-bulk"), {"action": "assign", "reports": [first.pk, second.pk], "department": roads.pk})
    assert response.status_code == 302
    assert ReportAssignment.objects.filter(department=roads).count() == 2
    assert ReportEvent.objects.filter(kind=ReportEvent.Kind.ASSIGNED).count() == 2

    # Another government's report is not ours to touch: nothing happens to it.
    client.post(reverse("staff:queue-bulk"), {"action": "acknowledge", "reports": [foreign.pk]})
    foreign.refresh_from_db()
    assert foreign.status == Status.SUBMITTED


def test_bulk_is_all_or_nothing(jongno_staff, haeundae_staff):
    from django.core.exceptions import PermissionDenied

    ours, theirs = make_report(), make_report(at=HAEUNDAE)
    with pytest.raises(PermissionDenied):
        services.report_bulk_acknowledge(reports=[ours, theirs], actor=jongno_staff)
    assert not Report.objects.filter(status=Status.ACKNOWLEDGED).exists()


def test_queue_map_and_superuser_sees_every_government(client, jongno_staff):
    ours, theirs = make_report(), make_report(at=HAEUNDAE)
    client.force_login(jongno_staff)
    response = client.get(reverse("staff:queue"), {"view": "map"})
    assert [p["id"] for p in response.context["points"]] == [ours.pk]
    assert 'id="queue-map"' in response.content.decode()

    client.force_login(UserFactory(username="root", is_superuser=True))
    response = client.get(reverse("staff:queue"))
    assert {r.pk for r in response.context["page"]} == {ours.pk, theirs.pk}
    response = client.get(reverse("staff:queue"), {"government": "21090"})
    assert [r.pk for r in response.context["page"]] == [theirs.pk]


def test_moderation_error_sits_in_the_form_that_was_posted(client, jongno_moderator):
    from reports.models import Comment

    report = make_report()
    first = Comment.objects.create(report=report, author_email="a@example.kr", text="첫 댓글")
    second = Comment.objects.create(report=report, author_email="b@example.kr", text="둘째 댓글")
    client.force_login(jongno_moderator)
    response = client.post(reverse("staff:report-moderate", args=[report.pk]), {"action": "hide_comment", "comment": second.pk, "reason": "   "})
    assert response.status_code == 400
    body = response.content.decode()
    second_article = body[body.index(f'id="comment-{second.pk}"'):]
    first_article = body[body.index(f'id="comment-{first.pk}"'):body.index(f'id="comment-{second.pk}"')]
    assert 'class="field-error"' in second_article.split("</article>")[0] and 'class="field-error"' not in first_article
    assert not Comment.objects.filter(is_hidden=True).exists()
