from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config.health import healthz
from mapping.account_views import privacy
from mapping.media import photo

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("open311/v2/", include("open311.urls")),
    path("", include("layers.urls")),  # /exports/, /ogc/, /tiles/
    path("accounts/", include("mapping.account_urls")),
    path("privacy/", privacy, name="privacy"),
    path("staff/moderation/", include("moderation.urls")),  # flagged proposals, comments, statements
    path("staff/", include("staff.urls")),
    path("alerts/", include("mapping.alert_urls")),
    path("scorecards/", include("scorecards.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("polls/", include("polls.urls")),
    path("ratings/", include("ratings.urls")),
    path("topics/", include("topics.urls")),
    path("", include("proposals.urls")),  # /proposals/, /staff/proposals/
    path("models/", include("standard_models.urls")),
    path("", include("mapping.urls")),
    # Uploaded photos, in every environment, through the view that checks who may see them.
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", photo, name="media"),
]

# An unreachable database answers 503, even when it fails outside a view (core.middleware).
handler500 = "core.middleware.server_error"
