"""Staff events not covered by reports.signals; sent after commit like those."""

from django.dispatch import Signal

# kwargs: report, event (ReportEvent kind=update)
report_official_update = Signal()

# kwargs: invitation (StaffInvitation); the email with its link is sent by notifications.
staff_invitation_created = Signal()
