from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TopicsConfig(AppConfig):
    """The opinion map: topics, moderated statements, agree/disagree/pass votes, opinion groups."""

    name = "topics"
    verbose_name = _("Opinion map")

    def ready(self) -> None:
        from topics import signals  # noqa: F401
