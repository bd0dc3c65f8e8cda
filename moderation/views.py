"""The moderators' page: flagged resident content of their governments, a hide form with a reason,
and the government's moderation trail. One page for every Hideable (proposals, comments, statements)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from moderation.models import FlagReason, Hideable
from moderation.selectors import flagged_items, government_trail, moderation_governments
from moderation.services import content_hide


def queue(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    governments = list(moderation_governments(user=request.user))
    if not governments:
        raise Http404
    chosen = next((g for g in governments if g.code == request.GET.get("government")), governments[0])
    items = flagged_items(government_ids=[chosen.pk])
    labels = dict(FlagReason.choices)
    for row in items:
        row["reason_labels"] = [labels.get(reason, reason) for reason in row["reasons"]]
        row["text"] = row["item"].moderation_text()
        row["kind"] = row["item"]._meta.verbose_name
    return render(request, "moderation/queue.html", {
        "governments": governments if len(governments) < 30 else [], "government": chosen, "items": items,
        "trail": government_trail(government_id=chosen.pk), "error": request.GET.get("error"),
    })


@require_POST
def hide(request, content_type_id: int, object_id: int):
    if not request.user.is_authenticated:
        return redirect_to_login("/staff/moderation/")
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist as exc:
        raise Http404 from exc
    if model is None or not issubclass(model, Hideable):
        raise Http404
    item = model.objects.filter(pk=object_id).first()
    if item is None:
        raise Http404
    target = f"/staff/moderation/?government={request.POST.get('government', '')}"
    try:
        content_hide(item=item, actor=request.user, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        if exc.http_status == 403:
            raise Http404 from exc
        messages.error(request, exc.message)
        return redirect(target)
    messages.success(request, _("Hidden; the reason is kept in the audit trail."))
    return redirect(target)
