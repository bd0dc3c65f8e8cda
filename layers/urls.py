from django.urls import path, re_path

from layers import exports, ogc, printmap, tiles

app_name = "layers"

urlpatterns = [
    re_path(r"^exports/reports\.(?P<fmt>geojson|geojsonseq|ndjson|csv)$", exports.reports_export, name="export-reports"),
    re_path(r"^exports/campaigns/(?P<slug>[a-z0-9-]+)/entries\.(?P<fmt>geojson|ndjson|csv)$", exports.campaign_entries_export,
            name="export-campaign-entries"),
    path("exports/local_governments.geojson", exports.local_governments_export, name="export-local-governments"),
    path("exports/local_governments/<str:code>/map.html", printmap.local_government_map, name="local-government-map"),
    path("ogc", ogc.landing),
    path("ogc/", ogc.landing, name="ogc-landing"),
    path("ogc/conformance", ogc.conformance, name="ogc-conformance"),
    path("ogc/api", ogc.api_document, name="ogc-api"),
    path("ogc/collections", ogc.collections, name="ogc-collections"),
    path("ogc/collections/<str:collection_id>", ogc.collection, name="ogc-collection"),
    path("ogc/collections/<str:collection_id>/items", ogc.items, name="ogc-items"),
    path("ogc/collections/<str:collection_id>/items/<str:fid>", ogc.item, name="ogc-item"),
    path("tiles/campaigns/<slug:slug>/<int:z>/<int:x>/<int:y>.mvt", tiles.campaign_tile, name="campaign-tile"),
    path("tiles/<str:layer>/<int:z>/<int:x>/<int:y>.mvt", tiles.tile, name="tile"),
]
