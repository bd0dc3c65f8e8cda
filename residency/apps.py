from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidencyConfig(AppConfig):
    """Who a person is beyond their email (identity verification) and where they live (residence)."""

    name = "residency"
    verbose_name = _("Residency")
