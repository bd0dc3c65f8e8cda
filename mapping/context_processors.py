from django.conf import settings
from django.utils.translation import gettext_lazy as _

from reports.models import Status

# Status colours of the map markers and its legend (static/dongne/map.js reads them from here).
STATUS_COLOURS = {
    Status.SUBMITTED: "#c0392b",
    Status.ACKNOWLEDGED: "#b9770e",
    Status.IN_PROGRESS: "#2874a6",
    Status.CLOSED: "#1e8449",
}


def map_text() -> dict:
    """What the map scripts say, in the page's language (Leaflet's own controls included)."""
    return {
        "zoomIn": _("Zoom in"),
        "zoomOut": _("Zoom out"),
        "leafletTitle": _("A JavaScript library for interactive maps"),
        "boundaries": _("Boundaries: Statistics Korea (KOSTAT)"),
        "legend": _("Status"),
        "statuses": [{"code": code, "label": label, "colour": STATUS_COLOURS[code]} for code, label in Status.choices],
        "reports": _("reports"),
        "clusterTitle": _("%(count)s reports here: zoom in"),
        "spreadTitle": _("%(count)s reports at one place: show them"),
        "viewReport": _("View the report"),
        "nearMe": _("Near me"),
        "locating": _("Finding your location…"),
        "geoRefused": _("Your location is not available: allow it in the browser's settings, or search a place."),
        "geoUnsupported": _("This browser cannot tell your location: search a place instead."),
        "searchPlace": _("Search a place"),
        "search": _("Search"),
        "noPlaces": _("No place with this name."),
        "placeKinds": {
            "province": _("Province or metropolitan city"),
            "local_government": _("Local government"),
            "municipal": _("District"),
            "submunicipal": _("Neighbourhood (읍면동)"),
        },
    }


def site(request):
    return {
        "BASEMAP_TILE_URL": settings.BASEMAP_TILE_URL,
        "BASEMAP_ATTRIBUTION": settings.BASEMAP_ATTRIBUTION,
    }
