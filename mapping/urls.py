from django.urls import path

from mapping import views

app_name = "mapping"

urlpatterns = [
    path("about/", views.about, name="about"),
]
