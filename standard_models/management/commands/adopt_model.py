"""manage.py adopt_model <slug> --government <code> --start YYYY-MM-DD [--model-version N] [--as USERNAME]"""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from geodata.selectors import local_government_get
from standard_models.selectors import model_get, model_version_get
from standard_models.services import model_adopt


class Command(BaseCommand):
    help = "Adopt a published model for a local government in one step (categories, workflow, campaign, lineage)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--government", required=True, help="the adopting local government's code, e.g. 35010")
        parser.add_argument("--start", required=True, help="the start date, YYYY-MM-DD")
        parser.add_argument("--model-version", dest="number", type=int, help="a version number (default: the newest published)")
        parser.add_argument("--as", dest="username", help="the acting user (default: the first active superuser)")

    def handle(self, *args, slug, government, start, number, username, **options):
        model = model_get(slug=slug)
        if model is None:
            raise CommandError(f"No published model {slug}.")
        area = local_government_get(code=government)
        if area is None:
            raise CommandError(f"No local government {government}.")
        try:
            starts_on = date.fromisoformat(start)
        except ValueError as exc:
            raise CommandError("Give --start as YYYY-MM-DD.") from exc
        users = get_user_model().objects.filter(is_active=True)
        actor = users.filter(username=username).first() if username else users.filter(is_superuser=True).order_by("id").first()
        if actor is None:
            raise CommandError("No such user: name one with --as, or create a superuser.")
        chosen = model_version_get(model=model, number=number) if number else None
        if number and chosen is None:
            raise CommandError(f"{slug} has no published version {number}.")
        try:
            adoption = model_adopt(model=model, version=chosen, government=area, starts_on=starts_on, actor=actor)
        except DomainError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc
        codes = ", ".join(adoption.adopted_categories.values_list("category__code", flat=True))
        self.stdout.write(f"{area.name} adopted {slug} version {adoption.version.number}: campaign /campaigns/{adoption.campaign.slug}/, categories {codes}.")
