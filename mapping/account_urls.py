from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from mapping import account_views as views
from notifications.password_reset import OutboxPasswordResetForm

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", auth_views.LoginView.as_view(next_page=reverse_lazy("accounts:my-reports")), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("confirm/<str:token>/", views.confirm_email, name="confirm-email"),
    path("confirm-again/", views.resend_confirmation, name="confirm-again"),
    path("password/reset/", views.PasswordResetView.as_view(
        form_class=OutboxPasswordResetForm,
        success_url=reverse_lazy("accounts:password_reset_done"),
        email_template_name="registration/password_reset_email.txt",
        subject_template_name="registration/password_reset_subject.txt",
    ), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        success_url=reverse_lazy("accounts:password_reset_complete")
    ), name="password_reset_confirm"),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("password/change/", auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("accounts:my-reports")), name="password_change"),
    path("reports/", views.my_reports, name="my-reports"),
    path("subscriptions/", views.my_subscriptions, name="my-subscriptions"),
    path("apps/", views.resident_apps, name="apps"),
    path("delete/", views.delete_account, name="delete"),
    path("privacy/", views.privacy, name="privacy"),
]
