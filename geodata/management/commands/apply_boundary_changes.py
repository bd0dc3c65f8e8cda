from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from geodata.importer import BoundaryImportError, boundary_changes_apply


class Command(BaseCommand):
    help = (
        "Apply the code-change table (renames, recodes, reparents, splits, merges) to the current boundary "
        "vintage: areas keep their rows, take today's codes and names, and answer at their old codes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--changes", type=Path, help="the code-change table (default: geodata/boundary_changes.csv)"
        )

    def handle(self, *args, changes, verbosity, **options):
        progress = self.stdout.write if verbosity else (lambda message: None)
        try:
            result = boundary_changes_apply(changes=changes, progress=progress)
        except BoundaryImportError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Applied the change table to vintage {result.vintage}; {result.local_governments} local governments."
            )
        )
