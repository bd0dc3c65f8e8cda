from django import template

from ratings.selectors import rating_counts

register = template.Library()


@register.inclusion_tag("ratings/summary.html")
def rating_summary(report):
    """Counts of the reporter's ratings of a report: never one person's rating with a name."""
    return {"counts": rating_counts(report_id=report.pk)}
