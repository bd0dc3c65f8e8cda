import logging
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from procrastinate.contrib.django import app

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Run procrastinate's worker until stopped: deliver the outbox, write new reports' notices, run "
        "the daily jobs. --once works through the due jobs and exits. A lost database is waited out."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run the due jobs, then exit")
        parser.add_argument("--poll", type=float, default=5.0, help="seconds between polls when no job notification arrives")

    def handle(self, *args, once, poll, **options):
        options = {
            "wait": not once,
            "fetch_job_polling_interval": poll,
            # The outbox row is the record of a delivery: a finished job has nothing more to say.
            "delete_jobs": "successful",
            "listen_notify": not once,
        }
        while True:
            try:
                # Django's connector cannot LISTEN nor be shared by async tasks: a pool of the same database.
                with app.replace_connector(app.connector.get_worker_connector()):
                    app.run_worker(**options)
                return
            except Exception as exc:  # the database restarted or is unreachable: start again shortly
                if once:
                    raise
                logger.warning("Worker stopped by %r; starting again in %ss", exc, settings.WORKER_DB_RETRY_SECONDS)
                time.sleep(settings.WORKER_DB_RETRY_SECONDS)
