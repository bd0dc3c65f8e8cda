from django import template
from django.utils.translation import gettext as _

from scorecards.indicators import BY_KEY

register = template.Library()


def _format(number, kind: str) -> str:
    if number is None:
        return "…"
    if kind == "proportion":
        return f"{number * 100:.1f}%"
    if kind == "days":
        return _("%(days)s days") % {"days": f"{number:.1f}"}
    return f"{number:,.2f}".rstrip("0").rstrip(".")


@register.filter
def figure(value: dict, key: str) -> str:
    """An indicator's value in its unit, or a dash when it cannot be computed."""
    if not value or value.get("value") is None:
        return "—"
    return _format(value["value"], BY_KEY[key].kind)


@register.filter
def interval(value: dict, key: str) -> str:
    """The 95 % interval in the indicator's unit; an unbounded end shows as "…"."""
    if not value or value.get("value") is None or ("low" not in value and "high" not in value):
        return ""
    if value.get("low") is None and value.get("high") is None:
        return ""
    kind = BY_KEY[key].kind
    return f"{_format(value.get('low'), kind)} – {_format(value.get('high'), kind)}"
