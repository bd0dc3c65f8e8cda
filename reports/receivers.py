"""Side effects of report events (run only after the transaction committed; see reports.signals)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.dispatch import receiver
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from reports.signals import report_needs_confirmation


def site_url() -> str:
    return getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")


@receiver(report_needs_confirmation, dispatch_uid="reports.confirmation_email")
def send_confirmation_email(sender, report, **kwargs) -> None:
    """An email-only reporter confirms the address before the report becomes public."""
    if not report.reporter_email:
        return
    link = site_url() + reverse("mapping:report-confirm", args=[report.confirmation_token])
    # Korean first: the reporter wrote to a Korean service; the English follows for visitors.
    with translation.override("ko"):
        subject = _("Confirm your report")
        body_ko = _("Thank you for your report (%(category)s, %(address)s).\nOpen this link to confirm it; it becomes public and goes to the local government once confirmed:\n%(link)s\n\nIf you did not send this report, ignore this email.") % {"category": report.category.name, "address": report.address, "link": link}
    with translation.override("en"):
        body_en = _("Thank you for your report (%(category)s, %(address)s).\nOpen this link to confirm it; it becomes public and goes to the local government once confirmed:\n%(link)s\n\nIf you did not send this report, ignore this email.") % {"category": report.category.name_en, "address": report.address, "link": link}
    send_mail(subject, f"{body_ko}\n\n---\n\n{body_en}", None, [report.reporter_email])
