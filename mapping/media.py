"""Uploaded photos, served only to those who may see them.

Nothing else serves MEDIA_ROOT: a photo of a hidden or unconfirmed report, or one a moderator
removed, is a 404 for the public and still shown to the responsible government's staff and
moderators (reports.selectors.report_photo_visible holds the rule). Behind a proxy that can
serve files itself (nginx's X-Accel-Redirect), set MEDIA_ACCEL_REDIRECT_PREFIX and this view only
decides, the proxy sends the bytes.
"""

from __future__ import annotations

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.static import serve

from reports.selectors import report_photo_visible
from staff.selectors import VIEW_ROLES, staff_can


@require_safe
def photo(request: HttpRequest, path: str) -> HttpResponse:
    shown = report_photo_visible(
        name=path, can_see_private=lambda report: staff_can(user=request.user, report=report, roles=VIEW_ROLES)
    )
    if shown is None:
        raise Http404(_("No such photo."))
    prefix = settings.MEDIA_ACCEL_REDIRECT_PREFIX
    if prefix:
        response = HttpResponse(content_type=mimetypes.guess_type(path)[0] or "application/octet-stream")
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(shown.image.name)
    else:
        response = serve(request, shown.image.name, document_root=settings.MEDIA_ROOT)
    public = not shown.is_hidden and shown.report_is_public
    # Revalidated on every view, so a moderator's removal is not outlived by a cache; a private
    # photo is never stored by a shared cache or the browser.
    response["Cache-Control"] = "no-cache" if public else "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
