"""Rating events, sent inside the transaction of their cause (core.events.send_event); notifications emails them."""

from django.dispatch import Signal

# sender=ServiceRating class; kwargs: rating (a reporter said the problem is not solved; the report was reopened)
rating_not_solved = Signal()
