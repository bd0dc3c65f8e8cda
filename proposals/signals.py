"""Domain events of proposals, sent inside the transaction that caused them (core.events.send_event),
so the notifications receivers queue their emails in the same transaction."""

from django.dispatch import Signal

# kwargs: obligation (a threshold was just crossed)
obligation_created = Signal()
# kwargs: answer (the government's official answer)
proposal_answered = Signal()
