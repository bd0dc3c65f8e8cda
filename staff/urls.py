from django.urls import path

from staff import views

app_name = "staff"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("bulk/", views.queue_bulk, name="queue-bulk"),
    path("team/", views.team, name="team"),
    path("administrators/", views.administrators, name="administrators"),
    path("governments.json", views.government_search, name="government-search"),
    path("invitations/<uuid:token>/", views.invitation, name="invitation"),
    path("reports/<int:report_id>/", views.report_detail, name="report"),
    path("reports/<int:report_id>/status/", views.report_status, name="report-status"),
    path("reports/<int:report_id>/update/", views.report_update, name="report-update"),
    path("reports/<int:report_id>/assign/", views.report_assign, name="report-assign"),
    path("reports/<int:report_id>/reroute/", views.report_reroute, name="report-reroute"),
    path("reports/<int:report_id>/moderate/", views.report_moderate, name="report-moderate"),
]
