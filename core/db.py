"""Database helpers shared by the write services."""

from __future__ import annotations

import functools
import logging
import random
import time
from collections.abc import Callable

from django.conf import settings
from django.db import OperationalError, connection

logger = logging.getLogger(__name__)

# SQLSTATEs for which PostgreSQL itself says "run the transaction again": serialization_failure,
# deadlock_detected.
RETRYABLE_SQLSTATES = {"40001", "40P01"}


def is_conflict(exc: BaseException) -> bool:
    cause = exc.__cause__ if isinstance(exc, OperationalError) else exc
    return getattr(cause, "sqlstate", None) in RETRYABLE_SQLSTATES


def retry_on_conflict(func: Callable) -> Callable:
    """Run a write service again when its transaction lost a deadlock or a serialization check.

    Only the outermost call retries: inside an enclosing transaction the whole transaction is
    aborted, so the conflict goes up to whoever owns it. At most DB_CONFLICT_ATTEMPTS runs, with a
    short random pause so the two contenders do not meet again at once.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if connection.in_atomic_block:
            return func(*args, **kwargs)
        attempts = settings.DB_CONFLICT_ATTEMPTS
        for attempt in range(1, attempts + 1):
            try:
                return func(*args, **kwargs)
            except OperationalError as exc:
                if attempt == attempts or not is_conflict(exc):
                    raise
                logger.warning("%s: %s on attempt %d, running it again", func.__qualname__, exc.__cause__.__class__.__name__, attempt)
                time.sleep(random.uniform(0.005, 0.05) * attempt)
        raise AssertionError("unreachable")

    return wrapper


def instance_from_row(model, fields: list, values) -> object:
    """A model instance from a row read in plain SQL (hot paths that skip the ORM's query compiler):
    `fields` are the model's fields in the row's order; values are converted as the ORM would
    (JSON text parsed...); columns not given load when first used."""
    converted = [
        field.from_db_value(value, None, connection) if hasattr(field, "from_db_value") else value
        for field, value in zip(fields, values, strict=True)
    ]
    return model.from_db(connection.alias, [field.attname for field in fields], converted)
