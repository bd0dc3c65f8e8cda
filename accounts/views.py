from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import AccountDeleteForm, SignupForm
from accounts.services import UNCONFIRMED_DAYS, account_delete, retention_days, user_signup
from alerts.selectors import subscription_list_for_user
from reports.models import Report


def signup(request):
    if request.user.is_authenticated:
        return redirect("accounts:my-reports")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = user_signup(username=form.cleaned_data["username"], email=form.cleaned_data["email"], password=form.cleaned_data["password1"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to Dongne."))
        return redirect("accounts:my-reports")
    return render(request, "accounts/signup.html", {"form": form, **_retention()}, status=400 if request.method == "POST" else 200)


def _retention() -> dict:
    return {"retention_days": retention_days(), "retention_years": round(retention_days() / 365, 1), "unconfirmed_days": UNCONFIRMED_DAYS}


def privacy(request):
    return render(request, "accounts/privacy.html", _retention())


@login_required
def my_reports(request):
    reports = Report.objects.filter(reporter=request.user).select_related("category", "local_government").order_by("-created_at", "-id")
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/my_reports.html", {"page": page})


@login_required
def my_subscriptions(request):
    return render(request, "accounts/my_subscriptions.html", {"subscriptions": subscription_list_for_user(user=request.user)})


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
