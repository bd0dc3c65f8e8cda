"""Residents' web pages for area alerts (email, Atom) and comments (rate-limited)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.ratelimit import rate_limited
from alerts.models import Subscription
from alerts.services import subscription_confirm, subscription_create, subscription_delete
from core.errors import DomainError
from geodata.models import Area
from geodata.selectors import area_get, local_government_find, local_government_list
from mapping.alert_forms import CommentForm, SubscribeForm
from mapping.views import public_report_or_404
from reports.services_comments import comment_create


def subscribe(request):
    initial = {"kind": request.GET.get("kind", "area"), **request.GET.dict()}
    chosen = area_get(code=request.GET.get("government", "")) if request.GET.get("government") else None
    if chosen is not None and chosen.is_local_government:
        initial["local_government"] = _government_label(chosen)  # from an area page's "alerts for this area"
    form = SubscribeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = request.user if request.user.is_authenticated else None
        try:
            if rate_limited(request, scope="subscription", email=data["email"] or ""):
                raise DomainError("rate_limited", _("Too many requests. Try again later."))
            government = None
            if data["kind"] == "area":
                government = _government_from_text(data["local_government"] or "")
                if government is None:
                    message = _("Choose a local government from the list or on the map.")
                    raise DomainError("invalid_area", message, fields={"local_government": [message]})
            if data["kind"] == "near" and (data["lat"] is None or data["lon"] is None):
                message = _("Tap the map to choose the place.")
                raise DomainError("invalid_location", message, fields={"map": [message]})
            subscription = subscription_create(
                user=user, email=data["email"] or "", local_government=government,
                lon=data["lon"] if government is None else None, lat=data["lat"] if government is None else None,
                radius_m=data["radius"] if government is None else None, consent=bool(data["consent"]),
            )
        except DomainError as exc:
            for field, errors in exc.fields.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            if not exc.fields:
                form.add_error(None, exc.message)
        else:
            if subscription.confirmed_at:
                messages.success(request, _("Your alert is active."))
            else:
                messages.success(request, _("Check your email: open the link we sent to start the alert."))
            return redirect("alerts:subscribe")
    status = 400 if request.method == "POST" else 200
    return render(request, "alerts/subscribe.html", {"form": form, "governments": _government_options()}, status=status)


def _government_label(area: Area) -> str:
    # The province makes names like 중구 unambiguous.
    province = area.parent.name if area.parent_id and area.level != "province" else ""
    return f"{province} {area.name} ({area.code})".strip()


def _government_options() -> list[tuple[str, str]]:
    return [(area.code, _government_label(area)) for area in local_government_list()]


def _government_from_text(text: str) -> Area | None:
    """A government typed as its code, its unique name, or a label from the list ("서울특별시 중구 (11020)")."""
    return local_government_find(query=text)[0]


def confirm(request, token):
    try:
        subscription = subscription_confirm(token=token)
    except Subscription.DoesNotExist as exc:
        raise Http404(_("This alert no longer exists.")) from exc
    return render(request, "alerts/confirmed.html", {"subscription": subscription})


@csrf_exempt  # RFC 8058 one-click POSTs come from mail clients, without a CSRF token; the token in the URL is the secret.
def unsubscribe(request, token):
    subscription = Subscription.objects.select_related("local_government").filter(token=token).first()
    if request.method == "POST":
        subscription_delete(token=token)
        return render(request, "alerts/unsubscribed.html", {})
    if subscription is None:
        return render(request, "alerts/unsubscribed.html", {})
    return render(request, "alerts/unsubscribe.html", {"subscription": subscription})


@require_POST
def comment(request, report_id: int):
    report = public_report_or_404(report_id)
    form = CommentForm(request.POST)
    back = reverse("mapping:report-detail", args=[report.pk]) + "#comments"
    if not form.is_valid() or not (request.user.is_authenticated or form.cleaned_data["email"]):
        messages.error(request, _("Write your comment and a valid email address."))
        return redirect(back)
    data = form.cleaned_data
    user = request.user if request.user.is_authenticated else None
    if rate_limited(request, scope="comment", email="" if user else data["email"] or ""):
        messages.error(request, _("Too many comments. Try again later."))
        return redirect(back)
    try:
        comment_create(report=report, text=data["text"], author=user, author_email=data["email"] or "", author_name=data["name"], show_name=data["show_name"])
    except DomainError as exc:
        messages.error(request, " ".join([exc.message] + [e for errors in exc.fields.values() for e in errors]))
    else:
        messages.success(request, _("Thank you for your comment."))
    return redirect(back)
