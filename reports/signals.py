"""Domain events, sent only after the transaction that caused them has committed.

Notifications, webhooks and cache purges connect here, so no email leaves for a report that
was rolled back.
"""

from django.dispatch import Signal

# sender=Report class; kwargs: report
report_created = Signal()
# kwargs: report, event (ReportEvent)
report_status_changed = Signal()
# kwargs: report, event
report_rerouted = Signal()
# kwargs: report (an unconfirmed email report that needs its link)
report_needs_confirmation = Signal()
# sender=Support class; kwargs: support (an email-only "me too" that needs its link), token
support_needs_confirmation = Signal()
