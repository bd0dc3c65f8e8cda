"""The worker (procrastinate): its daily jobs, a real worker process, and the nightly repair of the cell counts."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from asgiref.sync import async_to_sync
from croniter import croniter
from django.db import connection
from procrastinate.contrib.django import app
from procrastinate.periodic import PeriodicDeferrer

from layers.maintenance import reportcells_repair
from notifications.models import OutboundMessage
from notifications.tasks import DAILY
from notifications.worker import jobs_run_here, queue_state
from staff.models import DigestEntry, StaffRole
from tests.factories import CategoryFactory, make_report
from tests.notifications.test_outbox import closed_port
from tests.notifications.test_smtp import Inbox
from tests.staff.conftest import grant

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")
ROOT = Path(__file__).resolve().parents[2]


def test_the_daily_jobs_run_at_their_korean_times():
    periodic = {task.task.name: task.cron for task in app.periodic_registry.periodic_tasks.values()}
    for name, (cron, korean) in DAILY.items():
        assert periodic[name] == cron
        # The UTC cron's next tick after a Korean midnight falls at the Korean time written beside it.
        midnight = datetime(2026, 11, 29, 0, 0, tzinfo=SEOUL)
        tick = croniter(cron, midnight.timestamp()).get_next(float)
        assert datetime.fromtimestamp(tick, SEOUL).strftime("%H:%M") == korean


def test_each_daily_job_is_deferred_once_per_tick_and_runs(deliver_mail):
    """Two workers' schedulers defer the same tick: the database lets one job through."""
    digest_user = grant("11010", notify=StaffRole.Notify.DAILY_DIGEST, username="digest-officer")
    make_report()
    deliver_mail()  # the new report's notices are written by a job: here a digest entry
    assert DigestEntry.objects.count() == 1
    morning = datetime(2026, 11, 29, 8, 0, 30, tzinfo=SEOUL).timestamp()
    for _worker in range(2):
        deferrer = PeriodicDeferrer(registry=app.periodic_registry)
        async_to_sync(deferrer.defer_jobs)(deferrer.get_previous_tasks(at=morning))
    with connection.cursor() as cursor:
        cursor.execute("SELECT task_name, count(*) FROM procrastinate_jobs WHERE status = 'todo' GROUP BY 1")
        # 08:00 is also a tick of the five-minute sweep of stalled jobs.
        assert dict(cursor.fetchall()) == {
                "notifications.send_staff_digests": 1, "notifications.retry_stalled_jobs": 1,
                "notifications.refresh_changed_scorecards": 1, "notifications.recompute_opinion_maps": 1,
                "notifications.sweep_new_report_notices": 1,
            }
    assert jobs_run_here() >= 1  # the digest job, then the delivery of the digest it queued
    assert not DigestEntry.objects.exists()
    assert [m.to for m in deliver_mail() if digest_user.email in m.to] == [[digest_user.email]]


def test_the_other_daily_jobs_run_their_services(caplog):
    make_report()
    with caplog.at_level("INFO", logger="notifications.tasks"):
        for name in ("notifications.purge_personal_data", "notifications.repair_report_cells", "notifications.refresh_scorecards"):
            app.tasks[name].func(timestamp=0)
    logged = [record.getMessage() for record in caplog.records if record.name == "notifications.tasks"]
    assert logged[0].startswith("Personal data purged: {")
    assert logged[1] == "Report cells checked, 0 differed"
    assert logged[2].startswith("Scorecards refreshed: ") and int(logged[2].split(": ")[1]) > 200  # the 243 governments


def test_the_changed_scorecards_are_refreshed_every_minute(caplog):
    """Between the nightly recomputes a periodic task refreshes the governments whose reports changed."""
    from scorecards.models import Scorecard

    app.tasks["notifications.refresh_scorecards"].func(timestamp=0)
    report = make_report()
    with caplog.at_level("INFO", logger="notifications.tasks"):
        app.tasks["notifications.refresh_changed_scorecards"].func(timestamp=0)
    assert any(r.getMessage().startswith("Scorecards refreshed for changed governments: ") for r in caplog.records)
    row = Scorecard.objects.get(area_id=report.local_government_id)
    assert row.reports_received == 1
    periodic = {task.task.name: task.cron for task in app.periodic_registry.periodic_tasks.values()}
    assert periodic["notifications.refresh_changed_scorecards"] == periodic["notifications.recompute_opinion_maps"] == "* * * * *"


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_delivers_the_queue_through_smtp_and_exits():
    """`manage.py run_worker --once` (procrastinate's worker, its own connections) sends a committed
    report's mail to a real SMTP server, once; the test database is handed to it by name."""
    make_report(reporter_email="resident@example.kr", reporter=None)
    assert queue_state()["queue_depth"] == 1  # its confirmation mail
    inbox = Inbox()
    port = closed_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    db = connection.settings_dict
    env = {
        "PATH": "/usr/bin:/bin", "LOG_LEVEL": "WARNING",
        "DATABASE_URL": f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port),
    }
    try:
        subprocess.run([sys.executable, "manage.py", "run_worker", "--once"], cwd=ROOT, env=env, check=True, timeout=120)
    finally:
        controller.stop()
    message = OutboundMessage.objects.get()
    assert message.status == OutboundMessage.Status.SENT and message.attempts == 1
    assert [m["Message-ID"] for m in inbox.messages] == [message.message_id]
    assert queue_state()["queue_depth"] == 0


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
