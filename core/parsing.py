"""The one input-parsing layer of every channel: ids, numbers, dates, bounding boxes.

Each parser takes the raw string a client sent and returns a value the database accepts, or
raises DomainError with a localized message, so a crafted value is a 400 and never a 500
(Unicode digits such as "²", offsets PostgreSQL refuses, dates that overflow, 5,000-digit numbers).
"""

from __future__ import annotations

import math
import re
from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from core.errors import DomainError, ErrorCode

MAX_ID = 2**63 - 1  # bigint
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")
# PostgreSQL accepts UTC offsets up to 15:59; Python up to 23:59.
MAX_UTC_OFFSET = timedelta(hours=15, minutes=59)
# Far enough for any real query, near enough that adding a 90-day window never overflows.
MIN_YEAR, MAX_YEAR = 1900, 2999
MAX_NUMBER_LENGTH = 40


def parse_id(value: str | None) -> int | None:
    """A database id in ASCII digits that fits a bigint, or None (the caller answers 404)."""
    if value is None or not _ASCII_DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def parse_email(value: str | None, *, name: str = "email") -> str:
    """An email address, trimmed and lower-cased so one person is one address everywhere."""
    email = (value or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        message = _("Enter a valid email address.")
        raise DomainError(ErrorCode.INVALID_EMAIL, message, fields={name: [message]}) from exc
    return email


def parse_int(name: str, value: str, *, minimum: int, maximum: int) -> int:
    if len(value) > MAX_NUMBER_LENGTH or not re.fullmatch(r"[+-]?[0-9]+", value.strip()):
        raise DomainError(ErrorCode.INVALID_PARAMETER, _("%(name)s must be a whole number.") % {"name": name})
    number = int(value)
    if not minimum <= number <= maximum:
        raise DomainError(
            ErrorCode.INVALID_PARAMETER,
            _("%(name)s must be from %(min)d to %(max)d.") % {"name": name, "min": minimum, "max": maximum},
        )
    return number


def parse_float(value: str | float) -> float:
    """A finite decimal number, or ValueError (the caller words the error for its parameter)."""
    if isinstance(value, str) and len(value) > MAX_NUMBER_LENGTH:
        raise ValueError("too long")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError("not finite")
    return number


def parse_bbox(value: str) -> tuple[float, float, float, float]:
    """minLon,minLat,maxLon,maxLat in WGS84."""
    try:
        numbers = tuple(parse_float(part) for part in value.split(","))
    except ValueError:
        numbers = ()
    if len(numbers) != 4:
        raise DomainError(ErrorCode.INVALID_BBOX, _("bbox must be four numbers: minLon,minLat,maxLon,maxLat."))
    min_lon, min_lat, max_lon, max_lat = numbers
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise DomainError(
            ErrorCode.INVALID_BBOX, _("bbox must be minLon,minLat,maxLon,maxLat within -180..180 and -90..90, min before max.")
        )
    return numbers  # type: ignore[return-value]


def parse_datetime_param(name: str, value: str, *, end_of_day: bool = False) -> datetime:
    """A date (2026-05-01) or an ISO 8601 date-time, aware, within years 1900-2999 and offsets PostgreSQL takes."""
    message = _("%(name)s must be a date (2026-05-01) or an ISO 8601 date-time.") % {"name": name}
    if len(value) > 64:
        raise DomainError(ErrorCode.INVALID_DATE, message)
    # A bare date first: parse_datetime would read "2026-05-01" as midnight and lose end_of_day.
    try:
        day = parse_date(value) if len(value) <= 10 else None
        parsed = datetime.combine(day, time.max if end_of_day else time.min) if day else parse_datetime(value)
    except (ValueError, OverflowError):  # well-formed but impossible, e.g. 2026-02-30 or +99:00
        parsed = None
    if parsed is None:
        raise DomainError(ErrorCode.INVALID_DATE, message)
    offset = parsed.utcoffset()
    if offset is not None and abs(offset) > MAX_UTC_OFFSET:
        raise DomainError(ErrorCode.INVALID_DATE, _("%(name)s has a UTC offset beyond ±15:59.") % {"name": name})
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise DomainError(
            ErrorCode.INVALID_DATE, _("%(name)s must be between the years %(min)d and %(max)d.") % {"name": name, "min": MIN_YEAR, "max": MAX_YEAR}
        )
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


MAX_JSON_DEPTH = 32


def json_depth_ok(value, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when nested lists and objects go at most `limit` deep (checked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return False
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return True


def parse_json(text: str | bytes):
    """json.loads that refuses absurd nesting with ValueError instead of a RecursionError."""
    import json

    try:
        value = json.loads(text)
    except RecursionError as exc:
        raise ValueError("nested too deeply") from exc
    if not json_depth_ok(value):
        raise ValueError("nested too deeply")
    return value
