from django.conf import settings


def site(request):
    return {
        "BASEMAP_TILE_URL": settings.BASEMAP_TILE_URL,
        "BASEMAP_ATTRIBUTION": settings.BASEMAP_ATTRIBUTION,
    }
