from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PollsConfig(AppConfig):
    """Polls of a local government's residents: secret ballots, results by area, a published ballot log."""

    name = "polls"
    verbose_name = _("Polls")
