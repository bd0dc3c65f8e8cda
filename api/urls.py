from django.urls import path

from api.views_areas import AreaDetailApi, AreaListApi, AreaLookupApi
from api.views_models import ModelAdoptApi, ModelDetailApi, ModelExportApi, ModelImportApi, ModelListApi, ModelSchemaApi
from api.views_reports import (
    CategoryDetailApi,
    CategoryListApi,
    ReportCommentsApi,
    ReportDetailApi,
    ReportListCreateApi,
    ReportSupportApi,
)
from api.views_scorecards import ScorecardDetailApi, ScorecardListApi

app_name = "api"

urlpatterns = [
    path("areas/lookup", AreaLookupApi.as_view(), name="area-lookup"),
    path("areas/", AreaListApi.as_view(), name="area-list"),
    path("areas/<str:code>/", AreaDetailApi.as_view(), name="area-detail"),
    path("reports/", ReportListCreateApi.as_view(), name="report-list"),
    path("reports/<str:report_id>/", ReportDetailApi.as_view(), name="report-detail"),
    path("reports/<str:report_id>/comments/", ReportCommentsApi.as_view(), name="report-comments"),
    path("reports/<str:report_id>/support/", ReportSupportApi.as_view(), name="report-support"),
    path("categories/", CategoryListApi.as_view(), name="category-list"),
    path("categories/<str:code>/", CategoryDetailApi.as_view(), name="category-detail"),
]

urlpatterns += [
    path("scorecards/", ScorecardListApi.as_view(), name="scorecard-list"),
    path("scorecards/<str:code>/", ScorecardDetailApi.as_view(), name="scorecard-detail"),
]

urlpatterns += [  # standard models: the reserved slugs first
    path("models/", ModelListApi.as_view(), name="model-list"),
    path("models/schema.json", ModelSchemaApi.as_view(), name="model-schema"),
    path("models/import/", ModelImportApi.as_view(), name="model-import"),
    path("models/<str:slug>/", ModelDetailApi.as_view(), name="model-detail"),
    path("models/<str:slug>/export/", ModelExportApi.as_view(), name="model-export"),
    path("models/<str:slug>/adopt/", ModelAdoptApi.as_view(), name="model-adopt"),
]
