from django.core.management.base import BaseCommand

from notifications.outbox import messages_retry_dead


class Command(BaseCommand):
    help = "Queue every dead outbound message again (or only the given ids) with a fresh set of attempts."

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int)

    def handle(self, *args, ids, **options):
        count = messages_retry_dead(ids=ids or None)
        self.stdout.write(f"messages_requeued={count}")
