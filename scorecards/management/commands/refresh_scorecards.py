import time

from django.core.management.base import BaseCommand

from scorecards.services import scorecards_refresh


class Command(BaseCommand):
    help = "Recompute every current local government's scorecard now (a full, set-based recompute)."

    def handle(self, *args, **options):
        started = time.perf_counter()
        written = scorecards_refresh()
        self.stdout.write(f"{written} scorecards in {time.perf_counter() - started:.1f} s")
