from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts.views import privacy
from config.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("open311/v2/", include("open311.urls")),
    path("", include("layers.urls")),  # /exports/, /ogc/, /tiles/
    path("accounts/", include("accounts.urls")),
    path("privacy/", privacy, name="privacy"),
    path("staff/", include("staff.urls")),
    path("alerts/", include("alerts.urls")),
    path("scorecards/", include("scorecards.urls")),
    path("", include("mapping.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
