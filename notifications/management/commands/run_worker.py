from django.core.management.base import BaseCommand

from notifications.worker import Worker


class Command(BaseCommand):
    help = "Deliver queued messages and run the scheduled jobs (WORKER_SCHEDULE) until stopped; --once for a single pass."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument("--poll", type=float, default=1.0, help="seconds between polls of an empty queue")
        parser.add_argument("--no-schedule", action="store_true", help="deliver messages only")

    def handle(self, *args, once, poll, no_schedule, **options):
        worker = Worker(poll_seconds=poll, schedule=not no_schedule)
        if once:
            sent = worker.run_once()
            self.stdout.write(f"messages_sent={sent}")
            return
        worker.run_forever()
