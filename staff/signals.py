"""Staff events not covered by reports.signals; sent after commit like those."""

from django.dispatch import Signal

# kwargs: report, event (ReportEvent kind=update)
report_official_update = Signal()
