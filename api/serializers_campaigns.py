"""Input and output serializers of the campaign endpoints (no ModelSerializer).

Outputs never carry an entry's author or a private answer: entries are rendered with the answer
keys the view got from campaigns.outputs.entry_output_fields (public fields only).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.serializers_reports import AnswersField


def _datetime(value) -> str | None:
    return serializers.DateTimeField().to_representation(value) if value else None


# --- campaigns -----------------------------------------------------------------------------


class FieldValueOutputSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()


class FormFieldOutputSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    datatype = serializers.ChoiceField(choices=["string", "text", "number", "datetime", "singlevaluelist", "multivaluelist", "photo"])
    required = serializers.BooleanField()
    values = FieldValueOutputSerializer(many=True)
    public = serializers.BooleanField(help_text=_("false: only the campaign's organisers and validators see the answers"))


class EntryTypeOutputSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    colour = serializers.CharField(help_text=_("#rrggbb"))
    icon = serializers.CharField(allow_blank=True)


class OrganiserOutputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["local_government", "organisation"])
    name = serializers.CharField()
    code = serializers.CharField(allow_null=True, help_text=_("KOSTAT code of a local government, else null"))


class PartnerOutputSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class GovernmentOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class CampaignLinksOutputSerializer(serializers.Serializer):
    entries = serializers.URLField()
    geojson = serializers.URLField()
    csv = serializers.URLField()
    ndjson = serializers.URLField()
    ogc_items = serializers.URLField()
    tiles = serializers.CharField(help_text=_("URL template with {z}/{x}/{y}"))


class CoverageOutputSerializer(serializers.Serializer):
    units = serializers.IntegerField(help_text=_("읍면동 or 250 m grid cells of the area"))
    covered = serializers.IntegerField(help_text=_("units with at least one validated entry"))
    share = serializers.FloatField(help_text=_("covered / units, 0 to 1"))


class CampaignOutputSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    theme = serializers.ChoiceField(choices=["accessibility", "safety", "flooding", "environment", "other"])
    description = serializers.CharField(allow_blank=True)
    state = serializers.ChoiceField(choices=["upcoming", "open", "closed"], help_text=_("from starts_at and ends_at, now"))
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    participation = serializers.ChoiceField(choices=["open", "invited"], help_text=_("open: anyone signed in; invited: invited teams"))
    coverage_unit = serializers.ChoiceField(choices=["dong", "grid"])
    organiser = OrganiserOutputSerializer()
    partners = PartnerOutputSerializer(many=True)
    governments = GovernmentOutputSerializer(many=True)
    bbox = serializers.ListField(child=serializers.FloatField(), allow_null=True, help_text=_("the area: minLon,minLat,maxLon,maxLat"))
    form_fields = FormFieldOutputSerializer(many=True, help_text=_("the entry form, private fields included (their answers are not)"))
    entry_types = EntryTypeOutputSerializer(many=True)
    is_example = serializers.BooleanField(help_text=_("demo data, never counted"))
    entry_count = serializers.IntegerField(help_text=_("entries not hidden"))
    contributor_count = serializers.IntegerField(help_text=_("how many people mapped (never who)"))
    links = CampaignLinksOutputSerializer()

    def to_representation(self, campaign):
        request = self.context["request"]

        def url(path: str) -> str:
            return request.build_absolute_uri(path)

        slug = campaign.slug
        if campaign.organiser_government_id:
            organiser = {"kind": "local_government", "name": campaign.organiser_government.name, "code": campaign.organiser_government.code}
        else:
            organiser = {"kind": "organisation", "name": campaign.organiser_organisation.name, "code": None}
        return {
            "slug": slug,
            "title": campaign.title,
            "theme": campaign.theme,
            "description": campaign.description,
            "state": str(campaign.window_state(self.context.get("now"))),
            "starts_at": _datetime(campaign.starts_at),
            "ends_at": _datetime(campaign.ends_at),
            "participation": campaign.participation,
            "coverage_unit": campaign.coverage_unit,
            "organiser": organiser,
            "partners": [{"slug": p.slug, "name": p.name} for p in campaign.partners.all()],
            "governments": [{"code": g.code, "name": g.name} for g in campaign.governments.all()],
            "bbox": self.context.get("extents", {}).get(campaign.pk),
            "form_fields": [
                {
                    "key": f["key"], "label": f["label"], "datatype": f["datatype"], "required": bool(f.get("required")),
                    "values": [{"key": v["key"], "name": v["name"]} for v in f.get("values") or []], "public": bool(f.get("public")),
                }
                for f in campaign.form_fields
            ],
            "entry_types": [
                {"key": t["key"], "label": t["label"], "colour": t["colour"], "icon": t.get("icon", "")} for t in campaign.entry_types
            ],
            "is_example": campaign.is_example,
            "entry_count": campaign.entry_count,
            "contributor_count": campaign.contributor_count,
            "links": {
                "entries": url(f"/api/v1/campaigns/{slug}/entries/"),
                "geojson": url(f"/exports/campaigns/{slug}/entries.geojson"),
                "csv": url(f"/exports/campaigns/{slug}/entries.csv"),
                "ndjson": url(f"/exports/campaigns/{slug}/entries.ndjson"),
                "ogc_items": url(f"/ogc/collections/campaign-{slug}/items"),
                "tiles": url(f"/tiles/campaigns/{slug}/") + "{z}/{x}/{y}.mvt",
            },
        }


class CampaignDetailOutputSerializer(CampaignOutputSerializer):
    coverage = CoverageOutputSerializer()

    def to_representation(self, campaign):
        return {**super().to_representation(campaign), "coverage": self.context["coverage"]}


class CampaignPageOutputSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text=_("the next page (cursor), or null"))
    previous = serializers.URLField(allow_null=True)
    results = CampaignOutputSerializer(many=True)


class CampaignListInputSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=["upcoming", "open", "closed"], required=False)
    theme = serializers.ChoiceField(choices=["accessibility", "safety", "flooding", "environment", "other"], required=False)
    cursor = serializers.CharField(required=False, allow_blank=True)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200)


# --- entries -------------------------------------------------------------------------------


class EntryOutputSerializer(serializers.Serializer):
    """A public entry: public answers only (context `keys`), public photos only, never its author."""

    id = serializers.IntegerField()
    entry_type = serializers.CharField()
    status = serializers.ChoiceField(choices=["submitted", "validated", "needs_work", "resubmitted"])
    lat = serializers.FloatField()
    lon = serializers.FloatField()
    answers = serializers.DictField(help_text=_("public fields only"))
    photos = serializers.ListField(child=serializers.URLField(), help_text=_("photos of public photo fields"))
    report = serializers.IntegerField(allow_null=True, help_text=_("the report this entry became, if any"))
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def to_representation(self, entry):
        request = self.context["request"]
        keys = self.context["keys"]
        answers = entry.answers if isinstance(entry.answers, dict) else {}
        return {
            "id": entry.pk,
            "entry_type": entry.entry_type,
            "status": entry.status,
            "lat": round(entry.location.y, 6),
            "lon": round(entry.location.x, 6),
            "answers": {key: answers[key] for key in keys if key in answers},
            "photos": [
                # Served by the campaign pages' photo view, which checks who may see it.
                request.build_absolute_uri(reverse("campaigns:photo", args=[self.context["slug"], photo.pk]))
                for photo in entry.photos.all() if photo.field_key in keys
            ],
            "report": entry.report_id,
            "created_at": _datetime(entry.created_at),
            "updated_at": _datetime(entry.updated_at),
        }


class EntryPageOutputSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text=_("the next page (cursor), or null"))
    previous = serializers.URLField(allow_null=True)
    results = EntryOutputSerializer(many=True)


class EntryListInputSerializer(serializers.Serializer):
    fields = serializers.CharField(
        required=False, allow_blank=True, help_text=_("comma list of public field keys to show (a private one is a 400)")
    )
    status = serializers.ChoiceField(choices=["submitted", "validated", "needs_work", "resubmitted"], required=False)
    entry_type = serializers.CharField(required=False, max_length=64)
    cursor = serializers.CharField(required=False, allow_blank=True)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200)


class EntryCreateInputSerializer(serializers.Serializer):
    entry_type = serializers.CharField(max_length=64, help_text=_("one of the campaign's entry_types keys"))
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lon = serializers.FloatField(min_value=-180, max_value=180)
    answers = AnswersField(required=False, default=dict)


class EntryCreateMultipartInputSerializer(EntryCreateInputSerializer):
    photos = serializers.ListField(
        child=serializers.FileField(), required=False, max_length=5,
        help_text=_("JPEG, PNG, WebP or HEIC, for the form's first photo field; or send files named after a photo field's key"),
    )
