"""The worker's scheduled jobs and the nightly repair of the cell counts."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection

from layers.maintenance import reportcells_repair
from notifications.models import ScheduledRun, WorkerHeartbeat
from notifications.worker import last_due_time, scheduled_jobs_run_due
from staff.models import DigestEntry, StaffRole
from tests.factories import CategoryFactory, make_report
from tests.staff.conftest import grant

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")


def test_last_due_time_is_today_after_the_hour_and_yesterday_before():
    assert last_due_time("08:00", datetime(2026, 11, 29, 9, 0, tzinfo=SEOUL)) == datetime(2026, 11, 29, 8, 0, tzinfo=SEOUL)
    assert last_due_time("08:00", datetime(2026, 11, 29, 7, 59, tzinfo=SEOUL)) == datetime(2026, 11, 28, 8, 0, tzinfo=SEOUL)


def test_each_daily_job_runs_once_a_day(deliver_mail):
    digest_user = grant("11010", notify=StaffRole.Notify.DAILY_DIGEST, username="digest-officer")
    make_report()
    assert DigestEntry.objects.count() == 1
    morning = datetime(2026, 11, 29, 9, 0, tzinfo=SEOUL)
    assert scheduled_jobs_run_due(now=morning) == ["send_staff_digests", "purge_personal_data", "repair_report_cells", "refresh_scorecards"]
    assert not DigestEntry.objects.exists()
    assert [m.to for m in deliver_mail() if digest_user.email in m.to] == [[digest_user.email]]
    assert scheduled_jobs_run_due(now=morning.replace(hour=23)) == []
    assert scheduled_jobs_run_due(now=datetime(2026, 11, 30, 3, 30, tzinfo=SEOUL)) == ["purge_personal_data"]
    assert ScheduledRun.objects.get(job="send_staff_digests").last_run_at == morning


def test_periodic_jobs_run_every_so_many_seconds(settings):
    settings.WORKER_PERIODIC = [{"name": "refresh_changed_scorecards", "call": "scorecards.services.scorecards_refresh_changed",
                                 "every_seconds": 60}]
    start = datetime(2026, 11, 29, 9, 0, tzinfo=SEOUL)
    assert scheduled_jobs_run_due(now=start, jobs=settings.WORKER_PERIODIC) == ["refresh_changed_scorecards"]
    assert scheduled_jobs_run_due(now=start.replace(second=30), jobs=settings.WORKER_PERIODIC) == []
    assert scheduled_jobs_run_due(now=start.replace(minute=1, second=1), jobs=settings.WORKER_PERIODIC) == ["refresh_changed_scorecards"]


def test_run_worker_once_delivers_and_beats(deliver_mail):
    make_report(reporter_email="resident@example.kr", reporter=None)
    call_command("run_worker", "--once", "--no-schedule", stdout=open("/dev/null", "w"))
    assert len(deliver_mail()) == 1
    assert WorkerHeartbeat.objects.count() == 1


def test_repair_finds_and_fixes_drifted_cells():
    category = CategoryFactory()
    make_report(category=category)
    make_report(category=category)
    assert reportcells_repair() == 0
    with connection.cursor() as cursor:
        cursor.execute("UPDATE layers_reportcell SET count = count + 5 WHERE z = 10")
        cursor.execute("DELETE FROM layers_reportcell WHERE z = 12")
    assert reportcells_repair() == 2  # one wrong cell at z=10, one missing at z=12
    assert reportcells_repair() == 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT count FROM layers_reportcell WHERE z = 12")
        assert cursor.fetchall() == [(2,)]
