from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.errors import DomainError
from scorecards.population import population_import


class Command(BaseCommand):
    help = "Import the Ministry of the Interior's monthly resident-population CSV (CP949 or UTF-8)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV file (행정구역, YYYY년MM월_총인구수 columns)")
        parser.add_argument("--month", help="YYYY-MM; the latest month in the file by default")

    def handle(self, *args, file, month=None, **options):
        if month is not None and (len(month) != 7 or month[4] != "-" or not (month[:4] + month[5:]).isdigit()):
            raise CommandError(_("--month must look like 2024-05."))
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": file})
        try:
            result = population_import(raw=path.read_bytes(), month=month, source=path.name)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            _("%(count)d local governments' population for %(month)s imported.")
            % {"count": result.imported, "month": result.month.strftime("%Y-%m")}
        )
