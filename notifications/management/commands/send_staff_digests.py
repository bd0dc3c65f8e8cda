from django.core.management.base import BaseCommand

from notifications.emails import send_staff_digests


class Command(BaseCommand):
    help = "Email each staff member who chose the daily digest the new reports routed to them since the last one. Run daily."

    def handle(self, *args, **options):
        sent = send_staff_digests()
        self.stdout.write(f"digests_sent={sent}")
