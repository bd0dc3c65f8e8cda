from django.core.management.base import BaseCommand

from reports.services_categories import category_load_defaults


class Command(BaseCommand):
    help = "Load (or update) the default national report categories and their questions."

    def handle(self, *args, **options):
        created, updated = category_load_defaults()
        self.stdout.write(self.style.SUCCESS(f"Categories: {created} created, {updated} updated."))
