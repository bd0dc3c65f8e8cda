"""The worker's tasks (procrastinate, autodiscovered by `procrastinate.contrib.django`).

Deliveries and the notices of a new report are jobs deferred in the transaction of their cause
(notifications.worker.job_defer). The daily jobs are procrastinate periodic tasks: every worker
defers them, and the database lets one job through per task and tick, so several workers run each
once. Cron times are UTC (procrastinate reads them so); Korea keeps no summer time, so the
Korean time in each comment holds all year.
"""

from __future__ import annotations

import logging

from procrastinate.contrib.django import app

from layers.maintenance import reportcells_repair
from notifications.emails import report_notices_send, send_staff_digests
from notifications.outbox import message_deliver
from notifications.worker import DELIVER_MESSAGE, NOTIFY_NEW_REPORTS, OUTBOX_QUEUE
from privacy.services import personal_data_purge
from scorecards.services import scorecards_refresh, scorecards_refresh_changed
from topics.services import topics_recompute_dirty

logger = logging.getLogger(__name__)

# Daily jobs: task name → (cron in UTC, Korean time).
DAILY = {
    "notifications.send_staff_digests": ("0 23 * * *", "08:00"),
    "notifications.purge_personal_data": ("0 18 * * *", "03:00"),
    "notifications.repair_report_cells": ("0 19 * * *", "04:00"),
    "notifications.refresh_scorecards": ("0 20 * * *", "05:00"),
}


@app.task(name=DELIVER_MESSAGE, queue=OUTBOX_QUEUE)
def deliver_message(message_id: int) -> None:
    message_deliver(message_id=message_id)


@app.task(name=NOTIFY_NEW_REPORTS, queue=OUTBOX_QUEUE, queueing_lock=NOTIFY_NEW_REPORTS)
def notify_new_reports() -> None:
    """Woken by new reports (notifications.worker.job_wake): their staff notices and alerts."""
    report_notices_send()


def _daily(name: str):
    return app.periodic(cron=DAILY[name][0])


@_daily("notifications.send_staff_digests")
@app.task(name="notifications.send_staff_digests", queueing_lock="send_staff_digests")
def daily_staff_digests(timestamp: int) -> None:
    logger.info("Staff digests queued: %s", send_staff_digests())


@_daily("notifications.purge_personal_data")
@app.task(name="notifications.purge_personal_data", queueing_lock="purge_personal_data")
def daily_personal_data_purge(timestamp: int) -> None:
    logger.info("Personal data purged: %s", personal_data_purge())


@_daily("notifications.repair_report_cells")
@app.task(name="notifications.repair_report_cells", queueing_lock="repair_report_cells")
def daily_report_cells_repair(timestamp: int) -> None:
    logger.info("Report cells checked, %s differed", reportcells_repair())


@_daily("notifications.refresh_scorecards")
@app.task(name="notifications.refresh_scorecards", queueing_lock="refresh_scorecards")
def daily_scorecards_refresh(timestamp: int) -> None:
    logger.info("Scorecards refreshed: %s", scorecards_refresh())


# Every minute: the cheap catch-ups between nights (each does nothing when nothing changed).
EVERY_MINUTE = "* * * * *"


@app.periodic(cron=EVERY_MINUTE)
@app.task(name="notifications.sweep_new_report_notices", queueing_lock="sweep_new_report_notices")
def sweep_new_report_notices(timestamp: int) -> None:
    """A report committed just after the waiting job had started (and so was not woken for it)
    still gets its notices within a minute."""
    swept = report_notices_send()
    if swept:
        logger.info("Notices written for %s new reports by the sweep", swept)


@app.periodic(cron=EVERY_MINUTE)
@app.task(name="notifications.refresh_changed_scorecards", queueing_lock="refresh_changed_scorecards")
def refresh_changed_scorecards(timestamp: int) -> None:
    """The scorecards of the governments whose reports or supports changed since the last run."""
    refreshed = scorecards_refresh_changed()
    if refreshed:
        logger.info("Scorecards refreshed for changed governments: %s", refreshed)


@app.periodic(cron=EVERY_MINUTE)
@app.task(name="notifications.recompute_opinion_maps", queueing_lock="recompute_opinion_maps")
def recompute_opinion_maps(timestamp: int) -> None:
    """The opinion maps of the topics whose votes changed (their dirty flag)."""
    recomputed = topics_recompute_dirty()
    if recomputed:
        logger.info("Opinion maps recomputed: %s", recomputed)


@app.periodic(cron="*/5 * * * *")
@app.task(name="notifications.retry_stalled_jobs", queueing_lock="retry_stalled_jobs")
async def retry_stalled_jobs(timestamp: int) -> None:
    """A job whose worker died mid-run (no heartbeat) runs again; a delivery keeps its Message-ID."""
    for job in await app.job_manager.get_stalled_jobs():
        logger.warning("Job %s (%s) stalled with its worker: running it again", job.id, job.task_name)
        await app.job_manager.retry_job(job)
