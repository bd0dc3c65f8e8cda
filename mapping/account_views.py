from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.grants import resident_grant_issue
from accounts.ratelimit import rate_limited_by_ip_and_email
from accounts.selectors import account_email_confirmed
from accounts.services import account_confirmation_resend, user_signup
from alerts.selectors import subscription_list_for_user
from core.errors import DomainError
from mapping.account_forms import AccountDeleteForm, ResidentGrantForm, SignupForm
from privacy.services import UNCONFIRMED_DAYS, account_confirm_email, account_delete, retention_days
from reports.models import Report
from residency.services import residence_declare


def signup(request):
    if request.user.is_authenticated:
        return redirect("accounts:my-reports")
    form = SignupForm(request.POST or None)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        if _signup_throttled(request, form.cleaned_data["email"]):
            form.add_error(None, _("Too many accounts were created from this network or for this email address. Try again in an hour."))
            status = 429
        else:
            with transaction.atomic():
                user = user_signup(username=form.cleaned_data["username"], email=form.cleaned_data["email"], password=form.cleaned_data["password1"])
                if form.cleaned_data.get("residence"):
                    residence_declare(user=user, area=form.cleaned_data["residence"])
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to Dongne. We have sent a link to %(email)s: open it to confirm your address. Until then your reports wait, unpublished, and your supports are not counted.") % {"email": user.email})
            return redirect("accounts:my-reports")
    return render(request, "accounts/signup.html", {"form": form, **_retention()}, status=status)


def _signup_throttled(request, email: str) -> bool:
    return rate_limited_by_ip_and_email(
        request, scope="signup", email=email,
        ip_limit=settings.SIGNUPS_PER_IP_PER_HOUR, email_limit=settings.SIGNUPS_PER_ADDRESS_PER_HOUR,
    )


def confirm_email(request, token: str):
    try:
        user = account_confirm_email(token=token)
    except DomainError as exc:
        return render(request, "accounts/confirm_invalid.html", {"message": exc.message}, status=exc.http_status)
    messages.success(request, _("Thank you: your email address is confirmed. Your reports are public and your supports count."))
    if request.user.is_authenticated and request.user.pk == user.pk:
        return redirect("accounts:my-reports")
    return redirect("accounts:login")


@login_required
@require_POST
def resend_confirmation(request):
    if _signup_throttled(request, request.user.email):
        messages.error(request, _("Too many emails were sent to this address. Try again in an hour."))
    elif account_confirmation_resend(user=request.user):
        messages.success(request, _("We have sent the link again to %(email)s.") % {"email": request.user.email})
    return redirect("accounts:my-reports")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset, throttled per client address and per email address (the probe sent 10 in a row)."""

    def form_valid(self, form):
        if rate_limited_by_ip_and_email(
            self.request, scope="password-reset", email=form.cleaned_data["email"],
            ip_limit=settings.PASSWORD_RESETS_PER_IP_PER_HOUR, email_limit=settings.PASSWORD_RESETS_PER_ADDRESS_PER_HOUR,
        ):
            form.add_error(None, _("Too many password reset requests from this network or for this email address. Try again in an hour."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


def _retention() -> dict:
    return {"retention_days": retention_days(), "retention_years": round(retention_days() / 365, 1), "unconfirmed_days": UNCONFIRMED_DAYS}


def privacy(request):
    return render(request, "accounts/privacy.html", _retention())


@login_required
def my_reports(request):
    reports = Report.objects.filter(reporter=request.user).select_related("category", "local_government").order_by("-created_at", "-id")
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/my_reports.html", {"page": page, "email_confirmed": account_email_confirmed(user=request.user)})


@login_required
def my_subscriptions(request):
    return render(request, "accounts/my_subscriptions.html", {"subscriptions": subscription_list_for_user(user=request.user)})


@login_required
def resident_apps(request):
    """Let one app act for the person: they choose it and what it may do, agree, and get the grant once."""
    form = ResidentGrantForm(request.POST or None)
    context = {"form": form, "grant_days": settings.RESIDENT_GRANT_DAYS}
    if request.method != "POST":
        return render(request, "accounts/apps.html", context)
    if not form.is_valid():
        return render(request, "accounts/apps.html", context, status=400)
    client = form.cleaned_data["client"]
    try:
        grant = resident_grant_issue(user=request.user, client_id=client.pk, purposes=form.cleaned_data["purposes"])
    except DomainError as exc:
        form.add_error(None, exc.message)
        return render(request, "accounts/apps.html", context, status=exc.http_status)
    # Shown once, in this response only (never stored, logged or put in a message): the person pastes it into the app.
    return render(request, "accounts/apps.html", {**context, "form": ResidentGrantForm(), "grant": grant, "grant_client": client})


@login_required
def delete_account(request):
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        account_delete(user=user)
        return render(request, "accounts/deleted.html")
    return render(request, "accounts/delete.html", {"form": form}, status=400 if request.method == "POST" else 200)


@require_POST
def logout_view(request):
    logout(request)
    return redirect("/")


def login_locked_out(request, original_response=None, credentials=None):
    """What django-axes answers once a user name is locked out from this address: a page, or JSON for scripts (429)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _("Too many failed logins: this account is locked from this network for %(minutes)d minutes.") % {"minutes": minutes}
    wants_json = request.headers.get("x-requested-with") == "XMLHttpRequest" or "application/json" in request.headers.get("accept", "")
    if wants_json:
        response = JsonResponse({"error": {"code": "rate_limited", "message": message, "fields": {}}}, status=429)
    else:
        response = render(request, "registration/locked_out.html", {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
