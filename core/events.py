"""Domain events.

`send_event` sends a signal at once, inside the transaction that caused it: its receivers only write
rows (notifications queues messages in its outbox), so a message exists exactly when its change
committed, and a receiver's failure rolls the change back instead of losing the message.
`send_on_commit` is for side effects that leave the database (a cache purge): they must never see a
rolled-back change, and must never turn a committed change into an error response.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)


def send_event(signal: Signal, sender, **kwargs) -> None:
    signal.send(sender, **kwargs)


def send_on_commit(signal: Signal, sender, **kwargs) -> None:
    def send() -> None:
        # The change is saved: a failing receiver is logged, never raised into the response.
        for receiver, result in signal.send_robust(sender, **kwargs):
            if isinstance(result, Exception):
                logger.error("Receiver %r of %r failed", receiver, signal, exc_info=result)

    transaction.on_commit(send)
