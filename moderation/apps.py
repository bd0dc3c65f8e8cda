from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    """Flags, hiding with a reason, blocks for repeated abuse, and the audit trail of all of it.

    Shared by every kind of resident content outside reports (proposals, comments, statements).
    """

    name = "moderation"
    verbose_name = _("Moderation")
