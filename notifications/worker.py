"""The worker: delivers the outbox and runs the scheduled jobs (`manage.py run_worker`).

Several workers may run side by side: messages are taken with SKIP LOCKED, and a scheduled job's
row is locked while it runs. A lost database connection is waited out, never fatal.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from notifications.models import ScheduledRun, WorkerHeartbeat
from notifications.outbox import outbox_deliver_due

logger = logging.getLogger(__name__)

BATCH = 100


def last_due_time(at: str, now: datetime) -> datetime:
    """The latest local `HH:MM` at or before `now`."""
    hour, minute = (int(part) for part in at.split(":"))
    local = timezone.localtime(now)
    due = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return due if due <= local else due - timedelta(days=1)


def scheduled_jobs_run_due(*, now: datetime | None = None) -> list[str]:
    """Run every job of WORKER_SCHEDULE whose daily time has passed since its last run; returns their names."""
    now = now or timezone.now()
    ran = []
    for job in settings.WORKER_SCHEDULE:
        ScheduledRun.objects.get_or_create(job=job["name"])
        with transaction.atomic():
            run = ScheduledRun.objects.select_for_update(skip_locked=True).filter(job=job["name"]).first()
            if run is None:  # another worker is running it
                continue
            if run.last_run_at is not None and run.last_run_at >= last_due_time(job["at"], now):
                continue
            logger.info("Running scheduled job %s", job["name"])
            result = import_string(job["call"])()
            logger.info("Scheduled job %s done: %s", job["name"], result)
            run.last_run_at = now
            run.save(update_fields=["last_run_at"])
            ran.append(job["name"])
    return ran


def every_pass_run() -> None:
    """WORKER_EVERY_PASS: plain functions run on every pass (e.g. recomputing changed opinion maps)."""
    for call in settings.WORKER_EVERY_PASS:
        try:
            import_string(call)()
        except (OperationalError, InterfaceError):
            raise
        except Exception:  # one failing job must not stop the emails
            logger.exception("Job %s failed", call)


def heartbeat(name: str) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(name=name, defaults={"seen_at": now})
    WorkerHeartbeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()


def worker_alive(*, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return WorkerHeartbeat.objects.filter(seen_at__gte=now - timedelta(seconds=settings.WORKER_HEARTBEAT_STALE_SECONDS)).exists()


class Worker:
    def __init__(self, *, poll_seconds: float = 1.0, schedule: bool = True):
        self.name = f"{socket.gethostname()}:{os.getpid()}"
        self.poll_seconds = poll_seconds
        self.schedule = schedule
        self.stopping = False

    def run_once(self) -> int:
        heartbeat(self.name)
        sent = outbox_deliver_due(limit=BATCH)
        if self.schedule:
            scheduled_jobs_run_due()
            every_pass_run()
        return sent

    def stop(self, *args) -> None:
        self.stopping = True

    def run_forever(self) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        logger.info("Worker %s started", self.name)
        while not self.stopping:
            try:
                sent = self.run_once()
            except (OperationalError, InterfaceError) as exc:
                # The database restarted or is unreachable: drop the dead connection, try again later.
                logger.warning("Worker: database unavailable (%s); retrying in %ss", exc, settings.WORKER_DB_RETRY_SECONDS)
                for conn in connections.all():
                    try:
                        conn.close()
                    except (OperationalError, InterfaceError):
                        pass
                self._sleep(settings.WORKER_DB_RETRY_SECONDS)
                continue
            close_old_connections()
            if sent < BATCH:  # a full batch means more are waiting: go on at once
                self._sleep(self.poll_seconds)
        logger.info("Worker %s stopped", self.name)

    def _sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(min(0.2, seconds))
