from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardModelsConfig(AppConfig):
    name = "standard_models"
    verbose_name = _("Standard models")
