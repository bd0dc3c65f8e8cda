from django.urls import path

from standard_models import views

app_name = "standard_models"

urlpatterns = [
    path("", views.model_index, name="index"),
    path("publish/", views.model_publish_view, name="publish"),
    path("<slug:slug>/", views.model_detail, name="detail"),
    path("<slug:slug>/adopt/", views.model_adopt_view, name="adopt"),
    path("<slug:slug>/approve/", views.model_approve_view, name="approve"),
    path("<slug:slug>/adoptions/<int:adoption_id>/update/", views.model_update_view, name="update"),
]
