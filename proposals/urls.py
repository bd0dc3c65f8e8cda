from django.urls import path

from proposals import views

app_name = "proposals"

urlpatterns = [
    path("proposals/", views.proposal_index, name="index"),
    path("proposals/new/", views.proposal_new, name="new"),
    path("proposals/<int:proposal_id>/", views.proposal_detail, name="detail"),
    path("proposals/<int:proposal_id>/support/", views.proposal_support_view, name="support"),
    path("proposals/<int:proposal_id>/comments/", views.comment_create, name="comment"),
    path("proposals/<int:proposal_id>/alternatives/", views.alternative_create, name="alternative"),
    path("proposals/<int:proposal_id>/flag/<str:kind>/<int:item_id>/", views.flag, name="flag"),
    path("proposals/<int:proposal_id>/hide/<str:kind>/<int:item_id>/", views.hide, name="hide"),
    path("staff/proposals/<int:proposal_id>/answer/", views.answer, name="staff-answer"),
    path("staff/proposals/milestones/<int:milestone_id>/", views.milestone, name="staff-milestone"),
    path("staff/proposals/<str:code>/settings/", views.government_settings, name="settings"),
]
