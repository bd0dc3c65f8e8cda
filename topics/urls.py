from django.urls import path

from topics import views

app_name = "topics"

urlpatterns = [
    path("", views.topic_index, name="index"),
    path("method/", views.method, name="method"),
    path("new/<str:code>/", views.topic_new, name="new"),
    path("<int:topic_id>/", views.topic_detail, name="detail"),
]
