"""GeoReport v2 output: the same data as JSON or as XML with the specification's element names."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

from django.http import HttpResponse

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}

# The element name of one item of each list, as the specification's XML examples name them.
ITEM_NAMES = {
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
    "notes": "note",
    "photos": "photo",
    "services": "service",
    "service_requests": "request",
    "errors": "error",
}


def _xml_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _append(parent: ET.Element, name: str, value) -> None:
    element = ET.SubElement(parent, name)
    _fill(element, name, value)


def _fill(element: ET.Element, name: str, value) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _append(element, key, child)
    elif isinstance(value, list):
        item_name = ITEM_NAMES.get(name, "item")
        for item in value:
            _append(element, item_name, item)
    else:
        element.text = _xml_text(value)


def to_xml(root: str, data) -> bytes:
    element = ET.Element(root)
    _fill(element, root, data)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="utf-8", xml_declaration=False)


def render(data, fmt: str, *, root: str, status: int = 200) -> HttpResponse:
    """`root` is the XML root element (e.g. "services"); JSON is the bare data."""
    if fmt == "xml":
        body = to_xml(root, data)
    else:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return HttpResponse(body, status=status, content_type=FORMATS.get(fmt, FORMATS["json"]))


def render_error(fmt: str, status: int, description: str, error_code: str = "") -> HttpResponse:
    """[{"code": 400, "description": "..."}]; `error_code` adds a machine-readable reason."""
    error = {"code": status, "description": description}
    if error_code:
        error["error_code"] = error_code
    return render([error], fmt if fmt in FORMATS else "json", root="errors", status=status)
