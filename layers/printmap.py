"""A printable, standalone folium map of one local government and its public reports.

The file must open on a government PC separated from the internet (망분리): Leaflet's script and
styles (django-leaflet's copy, with its images as data: URIs) are inlined, and folium's CDN
links (jQuery, Bootstrap, Font Awesome, awesome-markers: unused by this map) are left out.
Every value put into the page is HTML-escaped: folium pastes tooltip texts, layer names and
GeoJSON properties into innerHTML as they are.
"""

from __future__ import annotations

import base64
import json
import re
from functools import cache
from pathlib import Path

import folium
from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from geodata.selectors import area_get
from layers import selectors
from layers.exports import error_response
from reports.models import Status
from reports.selectors import ReportFilters

STATUS_COLOURS = {
    Status.SUBMITTED: "#d7301f",
    Status.ACKNOWLEDGED: "#fc8d59",
    Status.IN_PROGRESS: "#2b8cbe",
    Status.CLOSED: "#31a354",
}
MAX_POINTS = 5000
# Placeholders folium links to; replaced by the files' contents after rendering.
INLINE_JS = {"dongne-inline:leaflet.js": "leaflet/leaflet.js"}
INLINE_CSS = {"dongne-inline:leaflet.css": "leaflet/leaflet.css"}


class StandaloneMap(folium.Map):
    """folium's map with only the Leaflet it needs, linked to placeholders that are inlined."""

    default_js = [("leaflet", "dongne-inline:leaflet.js")]
    default_css = [("leaflet_css", "dongne-inline:leaflet.css")]


def safe_text(value) -> str:
    """HTML-escaped, and inert inside folium's JavaScript template literals (` $ \\)."""
    return escape(str(value)).replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")


@require_GET
def local_government_map(request: HttpRequest, code: str) -> HttpResponse:
    area = area_get(code=code)
    if area is None or not area.is_local_government:
        return error_response("not_found", _("No local government has this code."), status=404)
    boundary_rows = selectors.fetch_all(*selectors.area_rows_sql(kind="local_governments", code=code, simplify=0.0002))
    boundary = json.loads(boundary_rows[0][1])
    boundary["properties"] = {
        key: safe_text(value) if isinstance(value, str) else value for key, value in boundary.get("properties", {}).items()
    }
    filters = ReportFilters(local_government=code)
    reports = [json.loads(text) for _id, text in selectors.report_feature_page(filters=filters, after_id=None, limit=MAX_POINTS)]
    south, west, north, east = _bounds(area.geom.extent)
    fmap = StandaloneMap(tiles=None, control_scale=True)
    if settings.BASEMAP_TILE_URL:
        folium.TileLayer(
            settings.BASEMAP_TILE_URL, attr=settings.BASEMAP_ATTRIBUTION or " ", name=safe_text(_("Basemap"))
        ).add_to(fmap)
    folium.GeoJson(
        boundary, name=safe_text(area.name),
        style_function=lambda _feature: {"color": "#333333", "weight": 2, "fillOpacity": 0.05},
        tooltip=folium.GeoJsonTooltip(fields=["name", "code"]),
    ).add_to(fmap)
    points = folium.FeatureGroup(name=safe_text(_("Reports"))).add_to(fmap)
    for feature in reports:
        lon, lat = feature["geometry"]["coordinates"]
        props = feature["properties"]
        folium.CircleMarker(
            location=(lat, lon), radius=4, weight=1, fill=True, fill_opacity=0.85,
            color=STATUS_COLOURS.get(props["status"], "#777777"), fill_color=STATUS_COLOURS.get(props["status"], "#777777"),
            tooltip=folium.Tooltip(safe_text(f"#{props['id']} {props['category_name']} · {Status(props['status']).label}")),
        ).add_to(points)
    legend = "".join(
        f'<div><span style="display:inline-block;width:10px;height:10px;background:{colour}"></span> {safe_text(Status(status).label)}</div>'
        for status, colour in STATUS_COLOURS.items()
    )
    title = safe_text(_("%(name)s: %(count)d public reports") % {"name": area.name, "count": len(reports)})
    fmap.get_root().html.add_child(folium.Element(
        f'<div style="position:fixed;top:10px;right:10px;z-index:1000;background:#fff;padding:6px 8px;font:13px sans-serif">'
        f"<strong>{title}</strong>{legend}</div>"
    ))
    fmap.fit_bounds([[south, west], [north, east]])
    folium.LayerControl().add_to(fmap)
    response = HttpResponse(inline_assets(fmap.get_root().render()), content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="map-{code}.html"'
    return response


def inline_assets(html: str) -> str:
    """Put the linked scripts and styles into the page itself."""
    for placeholder, path in INLINE_JS.items():
        script = _static_text(path).replace("</script", "<\\/script")
        html = re.sub(rf'<script src="{re.escape(placeholder)}"></script>', lambda _m, s=script: f"<script>{s}</script>", html)
    for placeholder, path in INLINE_CSS.items():
        style = _css_with_data_uris(path)
        html = re.sub(rf'<link rel="stylesheet" href="{re.escape(placeholder)}"\s*/?>', lambda _m, s=style: f"<style>{s}</style>", html)
    if "dongne-inline:" in html:
        raise RuntimeError("a linked asset of the printable map was not inlined")
    return html


@cache
def _static_text(path: str) -> str:
    found = finders.find(path)
    if not found:
        raise RuntimeError(f"static file not found: {path}")
    return Path(found).read_text(encoding="utf-8")


@cache
def _css_with_data_uris(path: str) -> str:
    """The stylesheet with its images (Leaflet's layer control and marker icons) as data: URIs."""
    folder = Path(finders.find(path)).parent

    def data_uri(match: re.Match) -> str:
        image = folder / match.group(1)
        if not image.is_file():
            return match.group(0)
        return "url(data:image/png;base64," + base64.b64encode(image.read_bytes()).decode() + ")"

    return re.sub(r"url\((images/[\w@.-]+\.png)\)", data_uri, _static_text(path)).replace("</style", "<\\/style")


def _bounds(extent: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    west, south, east, north = extent
    return south, west, north, east
