from django.urls import path

from scorecards import views

app_name = "scorecards"

urlpatterns = [
    path("", views.index, name="index"),
    path("methods/", views.methods, name="methods"),
    path("scorecards.csv", views.download_csv, name="csv"),
    path("scorecards.json", views.download_json, name="json"),
    path("map.geojson", views.map_geojson, name="map"),
    path("<str:code>/", views.detail, name="detail"),
]
