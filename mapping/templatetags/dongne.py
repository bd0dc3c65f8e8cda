from django import template
from django.utils.html import json_script
from django.utils.translation import get_language

from core.korean import with_particle_in_language
from mapping.context_processors import map_text

register = template.Library()


@register.filter
def display_name(obj) -> str:
    """A category's or area's name in the current language."""
    return obj.display_name(get_language() or "ko")


@register.filter
def josa(word, particle: str) -> str:
    """{{ name|josa:"은" }} → "종로구는", "서울은": the particle that fits the word's last syllable
    (on Korean pages; the bare word on others)."""
    return with_particle_in_language(str(word), particle)


@register.simple_tag
def map_text_script():
    """The map scripts' words in the page's language, as <script id="map-text" type="application/json">."""
    return json_script({key: value if isinstance(value, (list, dict)) else str(value) for key, value in map_text().items()}, "map-text")
