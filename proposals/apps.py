from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    """Residents' proposals to a local government, supports that oblige an answer by a deadline,
    threaded comments with a stance, and experts' alternatives."""

    name = "proposals"
    verbose_name = _("Proposals")
