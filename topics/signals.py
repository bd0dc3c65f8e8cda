"""A statement hidden by a moderator leaves the map: its topic is recomputed."""

from django.dispatch import receiver

from moderation.signals import content_hidden
from topics.models import Statement
from topics.services import topic_mark_changed


@receiver(content_hidden, sender=Statement)
def statement_hidden(sender, item, **kwargs):
    topic_mark_changed(topic_id=item.topic_id)
