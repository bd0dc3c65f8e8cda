"""Django's password reset, with its email queued in the outbox like every other message."""

from __future__ import annotations

from django.contrib.auth.forms import PasswordResetForm
from django.template import loader

from notifications.outbox import message_enqueue


class OutboxPasswordResetForm(PasswordResetForm):
    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        message_enqueue(to=[to_email], subject=subject, body=body)
