from django.urls import path

from api.views_areas import AreaDetailApi, AreaListApi, AreaLookupApi

app_name = "api"

urlpatterns = [
    path("areas/lookup", AreaLookupApi.as_view(), name="area-lookup"),
    path("areas/", AreaListApi.as_view(), name="area-list"),
    path("areas/<str:code>/", AreaDetailApi.as_view(), name="area-detail"),
]
