"""Service ratings: the emailed link on closing (through the outbox), rating once, "not solved" reopens
and tells the government, forged and reused links and other people refused, counts on the report page."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from core.errors import DomainError
from ratings.models import ServiceRating
from ratings.services import rating_submit, rating_token
from reports.models import ReportEvent, Status
from reports.services import report_change_status
from staff.models import StaffRole
from tests.factories import UserFactory, make_report
from tests.polls.factories import NOW, area

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed():
    officer = UserFactory(email="officer@jongno.go.kr")
    StaffRole.objects.create(user=officer, local_government=area("11010"), role=StaffRole.Role.STAFF)
    reporter = UserFactory(email="reporter@example.kr")
    report = make_report(reporter=reporter)
    mail.outbox.clear()
    event = report_change_status(report=report, to_status="closed", outcome="resolved", public_note="고쳤습니다")
    return report, event, reporter


def _link(address: str) -> str:
    message = next(m for m in mail.outbox if m.to == [address] and "/ratings/" in m.body)
    return re.search(r"http://\S+/ratings/(\S+)/", message.body).group(1)


def test_closing_emails_the_reporter_a_rating_link(closed):
    report, event, reporter = closed
    token = _link("reporter@example.kr")
    assert not any("/ratings/" in m.body for m in mail.outbox if m.to != ["reporter@example.kr"])
    rating = rating_submit(token=token, score=4, solved=True, now=NOW)
    assert (rating.score, rating.solved, rating.closed_event_id) == (4, True, event.pk)
    report.refresh_from_db()
    assert report.status == Status.CLOSED


def test_not_solved_reopens_the_report_and_tells_the_government(closed):
    report, event, reporter = closed
    mail.outbox.clear()
    rating_submit(token=rating_token(report=report, event=event), score=1, solved=False, now=NOW)
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    reopened = ReportEvent.objects.filter(report=report, kind=ReportEvent.Kind.REOPENED).get()
    assert reopened.data == {"by": "reporter"}
    to_staff = [m for m in mail.outbox if m.to == ["officer@jongno.go.kr"]]
    assert len(to_staff) == 1 and f"#{report.pk}" in to_staff[0].subject
    assert re.search(rf"http://\S+/staff/\S*{report.pk}", to_staff[0].body)


def test_forged_reused_and_foreign_ratings_are_refused_and_change_nothing(closed):
    report, event, reporter = closed
    token = rating_token(report=report, event=event)
    for bad in (token[:-2] + "xx", "not-a-token", rating_token(report=report, event=ReportEvent.objects.create(report=report, kind=ReportEvent.Kind.UPDATE))):
        with pytest.raises(DomainError) as forged:
            rating_submit(token=bad, score=5, solved=True)
        assert forged.value.code == "rating_link_invalid" and forged.value.http_status == 404
    with pytest.raises(DomainError) as other:
        rating_submit(token=token, score=5, solved=False, user=UserFactory())
    assert other.value.code == "rating_not_reporter" and other.value.http_status == 403
    for score in (0, 6, "five", None):
        with pytest.raises(DomainError) as invalid:
            rating_submit(token=token, score=score, solved=True, user=reporter)
        assert invalid.value.code == "invalid_rating"
    assert not ServiceRating.objects.exists()
    rating_submit(token=token, score=5, solved=False, user=reporter)
    with pytest.raises(DomainError) as reused:
        rating_submit(token=token, score=1, solved=False, user=reporter)
    assert reused.value.code == "rating_already_given" and reused.value.http_status == 409
    assert list(ServiceRating.objects.values_list("score", "solved")) == [(5, False)]
    assert ReportEvent.objects.filter(report=report, kind=ReportEvent.Kind.REOPENED).count() == 1


def test_the_rating_page_and_the_counts_on_the_report_page(client, closed):
    report, event, reporter = closed
    token = _link("reporter@example.kr")
    page = client.get(f"/ratings/{token}/")
    assert page.status_code == 200 and "rating-form" in page.content.decode()
    assert client.post(f"/ratings/{token}/", {"score": "9", "solved": "yes"}).status_code == 400
    done = client.post(f"/ratings/{token}/", {"score": "2", "solved": "no"})
    assert done.status_code == 200 and 'id="reopened"' in done.content.decode()
    again = client.get(f"/ratings/{token}/")
    assert again.status_code == 409
    assert client.get("/ratings/forged-token/").status_code == 404
    detail = client.get(f"/reports/{report.pk}/").content.decode()
    assert 'id="ratings"' in detail and "2/5: 1" in detail
    assert reporter.username not in detail and reporter.email not in detail


def test_ratings_survive_account_deletion_without_naming_anyone(closed):
    from privacy.services import account_delete

    report, event, reporter = closed
    rating_submit(token=rating_token(report=report, event=event), score=3, solved=True)
    account_delete(user=reporter)
    rating = ServiceRating.objects.get()
    assert rating.report_id == report.pk and rating.score == 3
    assert not [f.name for f in ServiceRating._meta.get_fields() if f.name in {"user", "reporter", "email"}]
