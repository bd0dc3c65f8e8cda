"""reports.services through real PostGIS and the real KOSTAT boundaries."""

from __future__ import annotations

import pytest
from django.core import mail

from core.errors import DomainError
from reports.models import Outcome, Question, Report, ReportEvent, Status, Support
from reports.services import report_change_status, report_confirm, report_reopen, report_support, support_confirm
from tests.factories import (
    HAEUNDAE,
    JONGNO,
    SEA_EAST_OF_ULSAN,
    SUWON_PALDAL,
    CategoryFactory,
    QuestionFactory,
    UserFactory,
    make_report,
)

pytestmark = pytest.mark.django_db


def test_report_create_routes_and_records_the_first_event():
    user = UserFactory()
    report = make_report(at=JONGNO, reporter=user)
    report.refresh_from_db()
    assert report.local_government.code == "11010"
    assert report.address.startswith("서울특별시 종로구")
    assert report.status == Status.SUBMITTED
    assert report.confirmed_at is not None  # signed in: public at once
    assert Report.objects.public().filter(pk=report.pk).exists()
    assert report.due_at > report.created_at
    event = report.events.get()
    assert event.kind == ReportEvent.Kind.CREATED and event.is_public


def test_a_suwon_district_is_routed_to_the_city():
    report = make_report(at=SUWON_PALDAL)
    assert report.local_government.code == "31010"
    assert report.municipal_unit.code == "31013"


def test_outside_the_service_area_is_refused_and_nothing_saved():
    with pytest.raises(DomainError) as exc:
        make_report(at=SEA_EAST_OF_ULSAN)
    assert exc.value.code == "outside_service_area"
    assert Report.objects.count() == 0


def test_a_governments_own_category_goes_to_it_and_only_there():
    from geodata.selectors import area_get

    busan_district = area_get(code="21090")
    own = CategoryFactory(local_government=busan_district)
    assert make_report(category=own, at=HAEUNDAE).local_government.code == "21090"
    with pytest.raises(DomainError) as exc:
        make_report(category=own, at=JONGNO)
    assert exc.value.code == "category_not_available_here"


def test_email_only_report_waits_for_confirmation():
    report = make_report(reporter_email="resident@example.kr")
    assert not Report.objects.public().filter(pk=report.pk).exists()
    confirmed = report_confirm(token=report.confirmation_token)
    assert confirmed.confirmed_at is not None
    assert Report.objects.public().filter(pk=report.pk).exists()


def test_confirmation_email_carries_the_link(deliver_mail, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = make_report(reporter_email="resident@example.kr")
    deliver_mail()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["resident@example.kr"]
    assert f"/reports/confirm/{report.confirmation_token}/" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("datatype", "good", "stored", "bad"),
    [
        (Question.Datatype.STRING, "A12", "A12", ["list"]),
        (Question.Datatype.TEXT, "길게 설명", "길게 설명", "x" * 4001),
        (Question.Datatype.NUMBER, "12.5", 12.5, "twelve"),
        (Question.Datatype.DATETIME, "2026-05-01T14:30", "2026-05-01T14:30:00", "yesterday"),
        (Question.Datatype.SINGLEVALUELIST, "a", "a", "z"),
        (Question.Datatype.MULTIVALUELIST, ["a", "b"], ["a", "b"], ["a", "z"]),
    ],
    ids=lambda value: value if isinstance(value, str) and len(value) < 20 else "",
)
def test_answers_are_validated_by_datatype(datatype, good, stored, bad):
    values = [{"key": "a", "name": "가"}, {"key": "b", "name": "나"}]
    question = QuestionFactory(code="q", datatype=datatype, required=True, values=values)
    category = question.category
    report = make_report(category=category, answers={"q": good})
    assert report.answers == {"q": stored}
    with pytest.raises(DomainError) as exc:
        make_report(category=category, answers={"q": bad})
    assert "answers.q" in exc.value.fields
    with pytest.raises(DomainError) as missing:
        make_report(category=category, answers={})
    assert "answers.q" in missing.value.fields
    assert Report.objects.count() == 1


def test_unknown_question_is_an_error():
    category = CategoryFactory()
    with pytest.raises(DomainError) as exc:
        make_report(category=category, answers={"nope": "x"})
    assert "answers.nope" in exc.value.fields


def test_description_limit_and_html_stripped():
    with pytest.raises(DomainError) as exc:
        make_report(description="가" * 4001)
    assert "description" in exc.value.fields
    report = make_report(description='<script>alert("x")</script><b>구멍</b> 있어요')
    assert "<" not in report.description and "구멍 있어요" in report.description
    with pytest.raises(DomainError) as empty:
        make_report(description="<p></p>")
    assert "description" in empty.value.fields


def test_workflow_transitions_and_timeline():
    report = make_report()
    report_change_status(report=report, to_status=Status.ACKNOWLEDGED, actor_label="종로구", public_note="확인 중")
    report_change_status(report=report, to_status=Status.IN_PROGRESS, actor_label="종로구")
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS and report.acknowledged_at is not None
    with pytest.raises(DomainError) as exc:
        report_change_status(report=report, to_status=Status.SUBMITTED)
    assert exc.value.code == "invalid_transition"
    with pytest.raises(DomainError):
        report_change_status(report=report, to_status="nonsense")
    assert [e.to_status for e in report.events.all()] == [Status.SUBMITTED, Status.ACKNOWLEDGED, Status.IN_PROGRESS]


def test_closing_needs_an_outcome_and_reasons():
    report = make_report()
    with pytest.raises(DomainError) as no_outcome:
        report_change_status(report=report, to_status=Status.CLOSED)
    assert no_outcome.value.code == "invalid_outcome"
    with pytest.raises(DomainError) as no_reason:
        report_change_status(report=report, to_status=Status.CLOSED, outcome=Outcome.NOT_ACCEPTED)
    assert no_reason.value.code == "reason_required"
    with pytest.raises(DomainError) as no_original:
        report_change_status(report=report, to_status=Status.CLOSED, outcome=Outcome.DUPLICATE)
    assert no_original.value.code == "duplicate_of_required"
    original = make_report()
    report_change_status(report=report, to_status=Status.CLOSED, outcome=Outcome.DUPLICATE, duplicate_of=original)
    report.refresh_from_db()
    assert report.status == Status.CLOSED and report.duplicate_of == original and report.closed_at is not None


def test_reopen_by_the_reporter_with_a_reason():
    report = make_report()
    with pytest.raises(DomainError):
        report_reopen(report=report, reason="아직도", by_reporter=True)  # not closed yet
    report_change_status(report=report, to_status=Status.CLOSED, outcome=Outcome.RESOLVED)
    with pytest.raises(DomainError) as exc:
        report_reopen(report=report, reason="  ", by_reporter=True)
    assert exc.value.code == "reason_required"
    event = report_reopen(report=report, reason="아직 고쳐지지 않았어요", by_reporter=True)
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED and report.outcome == "" and report.closed_at is None
    assert event.kind == ReportEvent.Kind.REOPENED and event.public_note == "아직 고쳐지지 않았어요"


def test_support_once_per_person_and_counted():
    report = make_report()
    user = UserFactory()
    assert report_support(report=report, user=user) is True
    assert report_support(report=report, user=user) is False
    assert report_support(report=report, email="Neighbour@Example.kr") is True
    assert report_support(report=report, email="neighbour@example.kr") is False
    report.refresh_from_db()
    # The email-only support waits for its link; only the account's is counted.
    assert report.support_count == 1 and Support.objects.filter(report=report).count() == 2
    support_confirm(support_id=Support.objects.get(report=report, email="neighbour@example.kr").pk)
    report.refresh_from_db()
    assert report.support_count == 2 == Support.objects.filter(report=report, confirmed_at__isnull=False).count()
    with pytest.raises(DomainError):
        report_support(report=report)
    report_change_status(report=report, to_status=Status.CLOSED, outcome=Outcome.RESOLVED)
    with pytest.raises(DomainError) as closed:
        report_support(report=report, user=UserFactory())
    assert closed.value.code == "report_closed"


def test_sensitive_category_shows_a_coarse_location():
    category = CategoryFactory(is_sensitive=True)
    report = make_report(category=category, at=(126.97683, 37.57594))
    assert report.location.coords == (126.97683, 37.57594)
    assert report.public_location.coords != report.location.coords
    assert abs(report.public_location.x - report.location.x) <= 0.0005 + 1e-9
    assert abs(report.public_location.y - report.location.y) <= 0.0005 + 1e-9
    # Deterministic: another point in the same cell shows the same public point.
    again = make_report(category=category, at=(126.97691, 37.57581))
    assert again.public_location.coords == report.public_location.coords
