from django.core.management.base import BaseCommand

from privacy.services import personal_data_purge, retention_days


class Command(BaseCommand):
    help = (
        "Apply the personal data retention policy (PIPA): clear reporter and commenter details of reports closed "
        "more than PERSONAL_DATA_RETENTION_DAYS ago, delete unconfirmed reports and alerts older than 7 days. Run daily."
    )

    def handle(self, *args, **options):
        done = personal_data_purge()
        self.stdout.write(f"retention_days={retention_days()} " + " ".join(f"{key}={value}" for key, value in done.items()))
