from django.urls import path

from polls import views

app_name = "polls"

urlpatterns = [
    path("", views.poll_index, name="index"),
    path("residence/", views.residence, name="residence"),
    path("manage/", views.manage, name="manage"),
    path("manage/<str:code>/new/", views.poll_new, name="new"),
    path("manage/<str:code>/residents/", views.residents, name="residents"),
    path("manage/<str:code>/residents/roll/", views.residents_roll, name="residents-roll"),
    path("manage/<str:code>/residents/codes/", views.residents_codes, name="residents-codes"),
    path("<int:poll_id>/", views.poll_detail, name="detail"),
    path("<int:poll_id>/verify/", views.poll_verify, name="verify"),
    path("<int:poll_id>/choices/<int:number>/image", views.choice_image, name="choice-image"),
]
