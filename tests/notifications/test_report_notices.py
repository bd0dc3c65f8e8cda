"""A new report's staff notices and alerts: written by the worker in batches, one job however many reports wait."""

from __future__ import annotations

import pytest
from django.db import connection

from notifications.emails import report_notices_send, staff_report_url
from notifications.models import ReportNotice
from notifications.worker import NOTIFY_NEW_REPORTS, jobs_run_here
from staff.models import StaffRole
from tests.factories import CategoryFactory, make_report
from tests.staff.conftest import grant

pytestmark = pytest.mark.django_db


def waiting_jobs() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT task_name, count(*) FROM procrastinate_jobs WHERE status = 'todo' GROUP BY 1")
        return dict(cursor.fetchall())


def test_many_new_reports_wait_on_one_job_that_writes_every_notice(mailoutbox):
    officer = grant("11010", notify=StaffRole.Notify.PER_REPORT, username="jongno-officer")
    category = CategoryFactory()
    reports = [make_report(category=category, description=f"report {n}") for n in range(5)]
    assert ReportNotice.objects.count() == 5
    assert waiting_jobs() == {NOTIFY_NEW_REPORTS: 1}
    jobs_run_here()
    assert ReportNotice.objects.count() == 0
    notices = [m for m in mailoutbox if m.to == [officer.email]]
    assert len(notices) == 5
    for report in reports:  # one notice each, linking to its report
        assert sum(staff_report_url(report) in m.body for m in notices) == 1
    assert waiting_jobs() == {}


def test_a_batch_at_a_time_until_none_waits():
    grant("11010", notify=StaffRole.Notify.DAILY_DIGEST, username="digest-officer")
    category = CategoryFactory()
    for n in range(7):
        make_report(category=category, description=f"report {n}")
    assert report_notices_send(batch=3) == 7
    assert ReportNotice.objects.count() == 0
    assert report_notices_send(batch=3) == 0


def test_the_sweep_writes_notices_no_job_was_woken_for(mailoutbox):
    """The waiting job may start before a report's transaction commits and miss it: the
    per-minute sweep writes that report's notices."""
    officer = grant("11010", notify=StaffRole.Notify.PER_REPORT, username="jongno-officer")
    make_report()
    with connection.cursor() as cursor:  # as if the woken job had already run, before this report committed
        cursor.execute("DELETE FROM procrastinate_jobs WHERE task_name = %s", [NOTIFY_NEW_REPORTS])
    assert jobs_run_here() == 0 and ReportNotice.objects.count() == 1
    from notifications.tasks import sweep_new_report_notices

    sweep_new_report_notices(timestamp=0)
    jobs_run_here()
    assert ReportNotice.objects.count() == 0
    assert [m.to for m in mailoutbox] == [[officer.email]]


def test_sample_reports_leave_no_notice():
    make_report(is_sample=True)
    assert ReportNotice.objects.count() == 0 and waiting_jobs() == {}


@pytest.mark.django_db(transaction=True)
def test_a_lost_connection_while_queueing_a_job_is_a_database_error_so_the_channels_answer_503():
    """procrastinate wraps the driver's error in its own exception, which no channel knew: a
    connection killed during a defer gave a 500 in the chaos bench."""
    from django.db import OperationalError

    from notifications.worker import DELIVER_MESSAGE, job_defer, job_wake
    from tests.conftest import terminate_own_connection

    for queue in (lambda: job_defer(DELIVER_MESSAGE, message_id=1), lambda: job_wake(NOTIFY_NEW_REPORTS)):
        terminate_own_connection()
        with pytest.raises(OperationalError):
            queue()
        connection.close()
