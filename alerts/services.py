"""Writes for area alerts. (Comments are written by reports.services_comments.comment_create.)"""

from __future__ import annotations

from django.contrib.gis.geos import Point
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts import signals
from alerts.models import Subscription
from core.errors import DomainError
from core.events import send_event
from core.parsing import parse_email
from geodata.models import Area
from reports.services import validate_coordinates

MIN_RADIUS_M = 50
MAX_RADIUS_M = 5000



def validate_radius(radius) -> int:
    try:
        radius_m = int(radius)
    except (TypeError, ValueError) as exc:
        raise DomainError("invalid_radius", _("The radius must be a whole number of metres."), fields={"radius": [_("A number of metres.")]}) from exc
    if not MIN_RADIUS_M <= radius_m <= MAX_RADIUS_M:
        message = _("The radius must be between %(min)d and %(max)d metres.") % {"min": MIN_RADIUS_M, "max": MAX_RADIUS_M}
        raise DomainError("invalid_radius", message, fields={"radius": [message]})
    return radius_m


def subscription_create(
    *, user=None, email: str = "", local_government: Area | None = None, lon=None, lat=None, radius_m=None,
    consent: bool = False,
) -> Subscription:
    """An alert for an account (active at once) or an email address (active once its link is opened).

    An email address is kept only with the person's consent to the privacy notice (PIPA art. 15);
    an account gave it at sign-up.
    """
    if user is None and not consent:
        raise DomainError(
            "consent_required", _("Agree to the notice so we can keep your email address."), fields={"consent": [_("Required.")]}
        )
    if (local_government is None) == (lon is None or lat is None):
        raise DomainError("invalid_area", _("Choose a local government or a point with a radius."))
    if local_government is not None and not local_government.is_local_government:
        raise DomainError("invalid_area", _("Choose a local government."))
    point = radius = None
    if local_government is None:
        lon_f, lat_f = validate_coordinates(lon, lat)
        point, radius = Point(lon_f, lat_f, srid=4326), validate_radius(radius_m)
    if user is None:
        email = parse_email(email)
    with transaction.atomic():
        existing = Subscription.objects.filter(
            user=user, email="" if user else email, local_government=local_government, point=point, radius_m=radius
        ).first()
        if existing is not None:
            subscription = existing
        else:
            subscription = Subscription.objects.create(
                user=user, email="" if user else email, local_government=local_government, point=point, radius_m=radius,
                confirmed_at=timezone.now() if user else None,
            )
        if subscription.confirmed_at is None:
            send_event(signals.subscription_needs_confirmation, Subscription, subscription=subscription)
    return subscription


def subscription_confirm(*, token) -> Subscription:
    """Opening the link twice is harmless."""
    subscription = Subscription.objects.get(token=token)
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return subscription


def subscription_delete(*, token) -> bool:
    """One-click unsubscribe; False when it was already gone."""
    deleted, _detail = Subscription.objects.filter(token=token).delete()
    return bool(deleted)


def report_emails_set(*, report, email: str, stopped: bool) -> bool:
    """Stop or resume the emails about one report for one address; returns whether they are stopped."""
    from alerts.models import ReportEmailOptOut

    email = parse_email(email)
    if stopped:
        ReportEmailOptOut.objects.get_or_create(report=report, email=email)
    else:
        ReportEmailOptOut.objects.filter(report=report, email=email).delete()
    return stopped
