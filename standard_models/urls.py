from django.urls import path

app_name = "standard_models"

urlpatterns: list = []
