"""manage.py import_model FILE"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from standard_models.services import model_import


class Command(BaseCommand):
    help = "Import a model document (.json) or bundle (.zip) exported by this or another installation; it is published."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            with open(file, "rb") as handle:
                raw = handle.read()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        try:
            version = model_import(actor=None, raw=raw)
        except DomainError as exc:
            lines = [f"{exc.code}: {exc.message}"] + [f"  {path}: {'; '.join(messages)}" for path, messages in exc.fields.items()]
            raise CommandError("\n".join(lines)) from exc
        self.stdout.write(f"Imported {version.model.slug} version {version.number}.")
