from django.urls import path

from mapping import manage, views

app_name = "mapping"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("map/reports.json", views.map_reports, name="map-reports"),
    path("map/places.json", views.places, name="places"),
    path("map/nearby.json", views.nearby, name="nearby"),
    path("map/photo-location", views.photo_location, name="photo-location"),
    path("reports/new/", views.report_new, name="report-new"),
    path("reports/sent/", views.report_sent, name="report-sent"),
    path("reports/confirm/<uuid:token>/", views.report_confirm_link, name="report-confirm"),
    path("reports/<int:report_id>/", views.report_detail, name="report-detail"),
    path("reports/<int:report_id>/support/", views.report_support_view, name="report-support"),
    path("reports/supports/confirm/<str:token>/", views.support_confirm_view, name="support-confirm"),
    path("reports/<int:report_id>/reopen/", views.report_reopen_view, name="report-reopen"),
    path("reports/<int:report_id>/manage/<uuid:token>/", manage.report_manage, name="report-manage"),
    path("areas/", views.area_index, name="area-index"),
    path("areas/<str:code>/", views.area_detail, name="area-detail"),
]
