from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from geodata.importer import BoundaryImportError, import_boundaries
from geodata.models import Area


class Command(BaseCommand):
    help = (
        "Import administrative boundaries (KOSTAT census units: provinces, municipalities, 읍면동) "
        "from GeoJSON, TopoJSON or Shapefile paths, folders or URLs."
    )

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="+", help="files, folders or http(s) URLs")
        parser.add_argument("--vintage", type=int, help="base year, when the files do not declare one")
        current = parser.add_mutually_exclusive_group()
        current.add_argument("--make-current", action="store_true", default=None, help="route with this vintage from now on")
        current.add_argument("--not-current", dest="make_current", action="store_false", help="import beside the current vintage")
        parser.add_argument(
            "--changes", type=Path, help="the code-change table to apply (default: geodata/boundary_changes.csv)"
        )
        parser.add_argument(
            "--if-missing", action="store_true", help="do nothing when a current vintage is already loaded"
        )

    def handle(self, *args, sources, vintage, make_current, changes, if_missing, verbosity, **options):
        if if_missing and Area.objects.current().exists():
            if verbosity:
                self.stdout.write("Boundaries already loaded; nothing to do.")
            return
        progress = self.stdout.write if verbosity else (lambda message: None)
        try:
            result = import_boundaries(
                sources, vintage_year=vintage, make_current=make_current, changes=changes, progress=progress
            )
        except BoundaryImportError as exc:
            raise CommandError(str(exc)) from exc
        counts = ", ".join(f"{level}: {count}" for level, count in sorted(result.counts.items()))
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported vintage {result.vintage} ({counts}); {result.local_governments} local governments; "
                f"repaired {result.repaired} invalid geometries"
                + ("; now current." if result.made_current else ".")
            )
        )
