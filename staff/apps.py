from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = _("Local government staff")

    def ready(self) -> None:
        # Connects the email receivers of report events (staff notices, followers, area alerts).
        from reports import notifications  # noqa: F401
