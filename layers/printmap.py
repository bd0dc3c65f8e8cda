"""A printable, standalone folium map of one local government and its public reports."""

from __future__ import annotations

import json

import folium
from django.http import HttpRequest, HttpResponse
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


@require_GET
def local_government_map(request: HttpRequest, code: str) -> HttpResponse:
    area = area_get(code=code)
    if area is None or not area.is_local_government:
        return error_response("not_found", _("No local government has this code."), status=404)
    boundary_rows = selectors.fetch_all(*selectors.area_rows_sql(kind="local_governments", code=code, simplify=0.0002))
    boundary = json.loads(boundary_rows[0][1])
    filters = ReportFilters(local_government=code)
    reports = [json.loads(text) for _id, text in selectors.report_feature_page(filters=filters, after_id=None, limit=MAX_POINTS)]
    south, west, north, east = _bounds(area.geom.extent)
    fmap = folium.Map(tiles=None, control_scale=True)
    folium.TileLayer("OpenStreetMap", name=_("Basemap")).add_to(fmap)
    folium.GeoJson(
        boundary, name=area.name,
        style_function=lambda _feature: {"color": "#333333", "weight": 2, "fillOpacity": 0.05},
        tooltip=folium.GeoJsonTooltip(fields=["name", "code"]),
    ).add_to(fmap)
    points = folium.FeatureGroup(name=_("Reports")).add_to(fmap)
    for feature in reports:
        lon, lat = feature["geometry"]["coordinates"]
        props = feature["properties"]
        folium.CircleMarker(
            location=(lat, lon), radius=4, weight=1, fill=True, fill_opacity=0.85,
            color=STATUS_COLOURS.get(props["status"], "#777777"), fill_color=STATUS_COLOURS.get(props["status"], "#777777"),
            tooltip=f"#{props['id']} {props['category_name']} · {Status(props['status']).label}",
        ).add_to(points)
    legend = "".join(
        f'<div><span style="display:inline-block;width:10px;height:10px;background:{colour}"></span> {Status(status).label}</div>'
        for status, colour in STATUS_COLOURS.items()
    )
    title = _("%(name)s: %(count)d public reports") % {"name": area.name, "count": len(reports)}
    fmap.get_root().html.add_child(folium.Element(
        f'<div style="position:fixed;top:10px;right:10px;z-index:1000;background:#fff;padding:6px 8px;font:13px sans-serif">'
        f"<strong>{title}</strong>{legend}</div>"
    ))
    fmap.fit_bounds([[south, west], [north, east]])
    folium.LayerControl().add_to(fmap)
    response = HttpResponse(fmap.get_root().render(), content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="map-{code}.html"'
    return response


def _bounds(extent: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    west, south, east, north = extent
    return south, west, north, east
