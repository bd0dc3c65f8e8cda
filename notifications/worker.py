"""The worker is procrastinate's (`manage.py run_worker`, or `manage.py procrastinate worker`).

Jobs live in procrastinate's tables on the project's PostgreSQL. They are deferred through
Django's own connection (`job_defer`), so a job exists if and only if the transaction that asked
for it committed, whichever connector the app holds at the time (the worker swaps in a pool of its
own). The tasks are in notifications.tasks; /healthz reads the workers' heartbeats and the queue
here.
"""

from __future__ import annotations

import inspect
import json
import logging
from contextlib import contextmanager
from datetime import datetime, timedelta

from asgiref.sync import async_to_sync
from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import Min
from django.utils import timezone
from procrastinate import jobs as procrastinate_jobs
from procrastinate import manager, sql
from procrastinate import tasks as procrastinate_tasks
from procrastinate.contrib.django import app
from procrastinate.contrib.django.django_connector import DjangoConnector
from procrastinate.contrib.django.models import ProcrastinateEvent, ProcrastinateJob, ProcrastinateWorker
from procrastinate.exceptions import AlreadyEnqueued, ConnectorException, UniqueViolation

logger = logging.getLogger(__name__)

# Task names, so the outbox and the receivers defer by name without importing the tasks module.
DELIVER_MESSAGE = "notifications.deliver_message"
NOTIFY_NEW_REPORTS = "notifications.notify_new_reports"
OUTBOX_QUEUE = "outbox"

_connector = DjangoConnector(alias="default")
_jobs = manager.JobManager(_connector)


@contextmanager
def _database_errors():
    """procrastinate reports a lost connection as its own ConnectorException; every channel answers
    503 to Django's database errors (core.middleware), so a defer raises one of those instead."""
    try:
        yield
    except UniqueViolation:
        raise
    except ConnectorException as exc:
        raise OperationalError(str(exc.__cause__ or exc)) from exc


def job_defer(task_name: str, *, schedule_at: datetime | None = None, **task_kwargs) -> int:
    """Queue a job in the caller's transaction (Django's connection); returns its id."""
    deferrer = procrastinate_tasks.configure_task(
        name=task_name, job_manager=_jobs, queue=OUTBOX_QUEUE, schedule_at=schedule_at
    )
    with _database_errors():
        return deferrer.defer(**task_kwargs)


def job_wake(task_name: str) -> None:
    """Make sure one job of this argument-less task waits to run, in the caller's transaction.

    Cheap when one already waits (one indexed read: its queueing lock is the task's name). Two
    transactions racing to queue it meet on that lock: the second is told it is already queued,
    inside a savepoint so its own transaction goes on.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM procrastinate_jobs WHERE queueing_lock = %s AND status = 'todo')", [task_name])
        if cursor.fetchone()[0]:
            return
    deferrer = procrastinate_tasks.configure_task(name=task_name, job_manager=_jobs, queue=OUTBOX_QUEUE, queueing_lock=task_name)
    try:
        with transaction.atomic(), _database_errors():
            deferrer.defer()
    except AlreadyEnqueued:
        pass


def jobs_run_here(*, limit: int = 10_000) -> int:
    """Run the due jobs now, in this thread, on Django's connection; returns how many ran.

    The worker proper runs each job in a thread of its own on its own connection; this runs them
    as the worker would, but inside the caller's transaction, so a test (whose transaction never
    commits) or a one-off command sees them. A job that raises is marked failed and the error
    goes up. One query when nothing is due.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM procrastinate_jobs WHERE status = 'todo'"
            " AND (scheduled_at IS NULL OR scheduled_at <= now()))"
        )
        if not cursor.fetchone()[0]:
            return 0
    app.perform_import_paths()
    worker_id = _connector.execute_query_one(sql.queries["register_worker"])["worker_id"]
    ran = 0
    try:
        for _ in range(limit):
            row = _connector.execute_query_one(sql.queries["fetch_job"], queues=None, worker_id=worker_id)
            if row["id"] is None:
                break
            if isinstance(row["args"], str):  # Django has psycopg return jsonb as text
                row["args"] = json.loads(row["args"])
            job = procrastinate_jobs.Job.from_row(row)
            task = app.tasks[job.task_name]
            call = async_to_sync(task.func) if inspect.iscoroutinefunction(task.func) else task.func
            try:
                call(**job.task_kwargs)
            except Exception:
                _connector.execute_query(sql.queries["finish_job"], job_id=job.id, status="failed", delete_job=False)
                raise
            _connector.execute_query(sql.queries["finish_job"], job_id=job.id, status="succeeded", delete_job=False)
            ran += 1
    finally:
        _connector.execute_query(sql.queries["unregister_worker"], worker_id=worker_id)
    return ran


def worker_alive(*, now: datetime | None = None) -> bool:
    """A worker wrote its heartbeat (every 10 s) within WORKER_HEARTBEAT_STALE_SECONDS."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.WORKER_HEARTBEAT_STALE_SECONDS)
    return ProcrastinateWorker.objects.filter(last_heartbeat__gte=stale).exists()


def queue_state(*, now: datetime | None = None) -> dict:
    """Jobs waiting (deliveries, their retries, notices to render, due daily jobs) and how long the
    oldest has waited, for /healthz."""
    now = now or timezone.now()
    depth = ProcrastinateJob.objects.filter(status="todo").count()
    oldest = None
    if depth:
        oldest = ProcrastinateEvent.objects.filter(job__status="todo", type="deferred").aggregate(at=Min("at"))["at"]
    return {
        "queue_depth": depth,
        "oldest_pending_seconds": max(int((now - oldest).total_seconds()), 0) if oldest else 0,
    }
