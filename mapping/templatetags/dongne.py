from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def display_name(obj) -> str:
    """A category's or area's name in the current language."""
    return obj.display_name(get_language() or "ko")
