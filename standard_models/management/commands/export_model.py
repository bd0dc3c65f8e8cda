"""manage.py export_model <slug> [--model-version N] [--bundle] [--output FILE]"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from standard_models.selectors import model_get, model_latest_version, model_version_get
from standard_models.services import model_bundle, model_export


class Command(BaseCommand):
    help = "Write a model's document (canonical JSON), or with --bundle a .zip of the JSON and its photos."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--model-version", dest="number", type=int, help="a version number (default: the newest published)")
        parser.add_argument("--bundle", action="store_true", help="a .zip with model.json and the photos, for closed networks")
        parser.add_argument("--output", "-o", help="file to write (default: <slug>-v<N>.json/.zip; '-' for standard output)")

    def handle(self, *args, slug, number, bundle, output, **options):
        model = model_get(slug=slug)
        if model is None:
            raise CommandError(f"No published model {slug}.")
        found = model_version_get(model=model, number=number) if number else model_latest_version(model=model)
        if found is None:
            raise CommandError(f"{slug} has no published version {number}.")
        if bundle:
            content, missing = model_bundle(version=found)
            for url in missing:
                self.stderr.write(f"not in the bundle (another host, or its SHA-256 differs): {url}")
        else:
            content = model_export(version=found)
        path = output or f"{slug}-v{found.number}.{'zip' if bundle else 'json'}"
        if path == "-":
            sys.stdout.buffer.write(content)
            return
        with open(path, "wb") as handle:
            handle.write(content)
        self.stdout.write(f"{path}: {len(content)} bytes")
