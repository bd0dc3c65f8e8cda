from django.urls import path

from campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_index, name="index"),
    path("new/", views.campaign_new, name="new"),
    path("<slug:slug>/", views.campaign_detail, name="detail"),
    path("<slug:slug>/map.json", views.campaign_map_data, name="map-data"),
    path("<slug:slug>/next.json", views.campaign_next, name="next"),
    path("<slug:slug>/entries/new/", views.entry_new, name="entry-new"),
    path("<slug:slug>/entries/<int:entry_id>/resubmit/", views.entry_resubmit_view, name="entry-resubmit"),
    path("<slug:slug>/entries/<int:entry_id>/validate/", views.entry_validate_view, name="entry-validate"),
    path("<slug:slug>/entries/<int:entry_id>/send-back/", views.entry_send_back_view, name="entry-send-back"),
    path("<slug:slug>/entries/<int:entry_id>/hide/", views.entry_hide_view, name="entry-hide"),
    path("<slug:slug>/entries/<int:entry_id>/report/", views.entry_report_view, name="entry-report"),
    path("<slug:slug>/review/", views.review_queue, name="review"),
    path("<slug:slug>/organise/", views.organise, name="organise"),
    path("<slug:slug>/organise/members/", views.member_add_view, name="member-add"),
    path("<slug:slug>/organise/units/<int:unit_id>/priority/", views.unit_priority_view, name="unit-priority"),
    path("<slug:slug>/photos/<int:photo_id>/", views.entry_photo, name="photo"),
]
