"""Atom feeds of new public reports, by local government or around a point. Never personal data."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponseBadRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from alerts.selectors import feed_reports_in_area, feed_reports_near
from alerts.services import validate_radius
from core.errors import DomainError
from geodata.models import Area
from geodata.selectors import local_government_get
from reports.models import Report
from reports.services import validate_coordinates

DEFAULT_RADIUS_M = 1000


class PlainTextAtom1Feed(Atom1Feed):
    """Summaries as `type="text"`: a feed reader shows a report's words and never renders them.

    Django writes `type="html"`, and a resident's text is not HTML: an unclosed
    `<img src=x onerror=...` survives strip_tags and would run in readers that render summaries.
    """

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, {**item, "description": None})
        if item.get("description") is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class ReportFeed(Feed):
    feed_type = PlainTextAtom1Feed

    def item_title(self, report: Report) -> str:
        return f"#{report.pk} {report.category.name} · {report.get_status_display()}"

    def item_description(self, report: Report) -> str:
        # Only public fields: the reporter's name only when they chose to show it.
        parts = [report.description, report.address, report.local_government.name]
        if report.public_name:
            parts.append(report.public_name)
        return "\n".join(part for part in parts if part)

    def item_link(self, report: Report) -> str:
        return reverse("mapping:report-detail", args=[report.pk])

    def item_pubdate(self, report: Report):
        return report.created_at

    def item_updateddate(self, report: Report):
        return report.updated_at

    def item_categories(self, report: Report):
        return [report.category.code]


class AreaFeed(ReportFeed):
    def get_object(self, request, code: str) -> Area:
        area = local_government_get(code=code)
        if area is None:
            raise Http404(_("No local government has this code."))
        return area

    def title(self, area: Area) -> str:
        return _("Dongne: new reports in %(name)s") % {"name": area.name}

    def link(self, area: Area) -> str:
        return reverse("alerts:feed-area", args=[area.code])

    def subtitle(self, area: Area) -> str:
        return _("Reports of living inconveniences routed to %(name)s.") % {"name": area.name}

    def items(self, area: Area):
        return feed_reports_in_area(code=area.code)


class NearFeed(ReportFeed):
    def __call__(self, request, *args, **kwargs):
        try:
            lon, lat = validate_coordinates(request.GET.get("lon"), request.GET.get("lat"))
            radius = validate_radius(request.GET.get("radius", DEFAULT_RADIUS_M))
        except DomainError as exc:
            return HttpResponseBadRequest(exc.message, content_type="text/plain; charset=utf-8")
        request.near = (lon, lat, radius)
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request):
        return request.near

    def title(self, near) -> str:
        return _("Dongne: new reports within %(radius)d m of %(lat).5f, %(lon).5f") % {"radius": near[2], "lat": near[1], "lon": near[0]}

    def link(self, near) -> str:
        return reverse("alerts:feed-near") + f"?lat={near[1]}&lon={near[0]}&radius={near[2]}"

    def subtitle(self, near) -> str:
        return self.title(near)

    def items(self, near):
        return feed_reports_near(lon=near[0], lat=near[1], radius_m=near[2])
