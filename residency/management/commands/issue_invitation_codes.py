"""manage.py issue_invitation_codes <government code> --count N: print one-time residence codes."""

from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from geodata.selectors import local_government_get
from residency.services import invitation_codes_issue


class Command(BaseCommand):
    help = "Issue one-time residence invitation codes for a local government; they are printed once and stored only hashed."

    def add_arguments(self, parser):
        parser.add_argument("government", help="KOSTAT code of the local government, e.g. 11010")
        parser.add_argument("--count", type=int, default=1)

    def handle(self, *args, government: str, count: int, **options):
        area = local_government_get(code=government)
        if area is None:
            raise CommandError(f"No local government with code {government}.")
        try:
            codes = invitation_codes_issue(government=area, count=count)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write("\n".join(codes))
