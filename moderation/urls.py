from django.urls import path

from moderation import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("hide/<int:content_type_id>/<int:object_id>/", views.hide, name="hide"),
]
