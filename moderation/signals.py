"""Moderation's domain events (receivers only write rows; see core.events)."""

from django.dispatch import Signal

# kwargs: item, action (ModerationAction)
content_hidden = Signal()
# kwargs: block (AccountBlock)
account_blocked = Signal()
