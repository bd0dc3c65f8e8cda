"""Account events, sent inside the transaction of their cause (core.events.send_event); notifications turns them into emails."""

from django.dispatch import Signal

# sender=User class; kwargs: user, token (the signed token of the confirmation link)
account_needs_confirmation = Signal()
