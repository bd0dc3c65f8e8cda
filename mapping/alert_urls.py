from django.urls import path

from mapping import alert_views as views
from mapping import feeds

app_name = "alerts"

urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("confirm/<uuid:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<uuid:token>/", views.unsubscribe, name="unsubscribe"),
    path("feeds/area/<str:code>.atom", feeds.AreaFeed(), name="feed-area"),
    path("feeds/near.atom", feeds.NearFeed(), name="feed-near"),
    path("reports/<int:report_id>/comments/", views.comment, name="comment"),
]
