"""DRF's JSON parser, refusing absurd nesting with a 400 instead of a RecursionError (500)."""

from __future__ import annotations

import codecs

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from core.parsing import parse_json


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            return parse_json(codecs.getreader(encoding)(stream).read())
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
