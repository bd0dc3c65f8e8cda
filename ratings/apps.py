from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    """Reporters rate how their closed report was handled, and say whether it is really solved."""

    name = "ratings"
    verbose_name = _("Service ratings")
