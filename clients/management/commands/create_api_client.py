"""Register an app and print its new API key (alone on the last line; it is shown only this once)."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from clients.services import api_client_create, api_key_create
from geodata.models import Area


class Command(BaseCommand):
    help = "Create an API client with a key; the key is printed once, alone on the last line."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--scopes", default="read,submit", help="comma list of read, submit, staff")
        parser.add_argument("--contact", default="")
        parser.add_argument("--origins", default="", help="comma list of allowed CORS origins, e.g. https://app.example.kr")
        parser.add_argument("--rate-limit", type=int, default=120, help="requests per minute")
        parser.add_argument("--expires-days", type=int, default=None)
        parser.add_argument("--local-government", default="", help="KOSTAT code; its staff-scoped keys see its reporters' contacts")

    def handle(self, *args, name, scopes, contact, origins, rate_limit, expires_days, local_government, **options):
        if rate_limit < 1:
            raise CommandError("--rate-limit must be at least 1")
        government = None
        if local_government.strip():
            government = Area.objects.local_governments().current().with_code(local_government.strip()).first()
            if government is None:
                raise CommandError(f"No local government has the code {local_government.strip()}")
        try:
            with transaction.atomic():
                client = api_client_create(
                    name=name, contact=contact, origins=[o.strip() for o in origins.split(",") if o.strip()], local_government=government
                )
                key, raw_key = api_key_create(
                    client=client,
                    scopes=scopes.split(","),
                    rate_limit_per_minute=rate_limit,
                    expires_at=timezone.now() + timedelta(days=expires_days) if expires_days else None,
                )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Created API client {client.name} (key {key.prefix}…, scopes {','.join(key.scopes)}).")
        self.stdout.write("Store this key now: it is not shown again.")
        self.stdout.write(raw_key)
