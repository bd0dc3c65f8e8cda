from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Owns every message the platform sends (emails now, webhooks later)."""

    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from notifications import emails  # noqa: F401  (connects the receivers of domain events)
