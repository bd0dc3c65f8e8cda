"""Domain events: a signal sent once the transaction that caused it has committed.

Receivers that reach outside the database (email, webhooks, cache purges) must never see a change
that was rolled back, and must never turn a committed change into an error response.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)


def send_on_commit(signal: Signal, sender, **kwargs) -> None:
    def send() -> None:
        # The change is saved: a failing receiver is logged, never raised into the response.
        for receiver, result in signal.send_robust(sender, **kwargs):
            if isinstance(result, Exception):
                logger.error("Receiver %r of %r failed", receiver, signal, exc_info=result)

    transaction.on_commit(send)
