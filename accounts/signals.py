"""Account events, sent after commit (core.events.send_on_commit); notifications turns them into emails."""

from django.dispatch import Signal

# sender=User class; kwargs: user, token (the signed token of the confirmation link)
account_needs_confirmation = Signal()
