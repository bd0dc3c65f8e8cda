from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """PIPA duties that reach across the domain: confirming, claiming, deleting and purging a person's data."""

    name = "privacy"
    verbose_name = _("Personal data")
