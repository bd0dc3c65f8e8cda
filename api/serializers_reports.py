"""Input and output serializers of the reports, categories and comments endpoints (no ModelSerializer)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.parsing import json_depth_ok, parse_json

# --- categories ---------------------------------------------------------------------------


class QuestionValueOutputSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField(required=False)


class QuestionOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    datatype = serializers.CharField()
    description = serializers.CharField()
    description_en = serializers.CharField()
    datatype_description = serializers.CharField()
    required = serializers.BooleanField()
    variable = serializers.BooleanField()
    order = serializers.IntegerField()
    values = QuestionValueOutputSerializer(many=True)


class CategoryOutputSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("also the Open311 service_code"))
    name = serializers.CharField()
    name_en = serializers.CharField()
    description = serializers.CharField()
    description_en = serializers.CharField()
    group = serializers.CharField()
    group_en = serializers.CharField()
    keywords = serializers.CharField()
    sla_days = serializers.IntegerField()
    local_government = serializers.CharField(source="local_government.code", allow_null=True, default=None)
    questions = QuestionOutputSerializer(many=True, source="questions.all")


# --- reports ------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.OBJECT)
class AnswersField(serializers.Field):
    """An object keyed by question code; multipart clients may send it as a JSON string."""

    default_error_messages = {"invalid": _("answers must be an object keyed by question code (or that object as JSON).")}

    def to_internal_value(self, data):
        if isinstance(data, str):
            try:
                data = parse_json(data) if data.strip() else {}
            except ValueError:
                self.fail("invalid")
        if not isinstance(data, dict) or not json_depth_ok(data):
            self.fail("invalid")
        return data

    def to_representation(self, value):
        return value


class ReportCreateInputSerializer(serializers.Serializer):
    category = serializers.CharField(max_length=64, help_text=_("category code (Open311 service_code)"))
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lon = serializers.FloatField(min_value=-180, max_value=180)
    description = serializers.CharField(max_length=4000)
    answers = AnswersField(required=False, default=dict)
    email = serializers.EmailField(required=False, allow_blank=True, default="", help_text=_("private"))
    name = serializers.CharField(required=False, allow_blank=True, default="", max_length=100, help_text=_("private unless show_name"))
    phone = serializers.CharField(required=False, allow_blank=True, default="", max_length=40, help_text=_("private"))
    show_name = serializers.BooleanField(required=False, default=False)
    media_url = serializers.URLField(required=False, allow_blank=True, default="", max_length=500)
    device_id = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    account_id = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)


class ReportCreateMultipartInputSerializer(ReportCreateInputSerializer):
    photos = serializers.ListField(child=serializers.FileField(), required=False, max_length=5, help_text=_("JPEG, PNG or WebP"))


class AreaBriefOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class CategoryBriefOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()


class ReporterOutputSerializer(serializers.Serializer):
    email = serializers.CharField()
    phone = serializers.CharField()
    name = serializers.CharField()


class ReportOutputSerializer(serializers.Serializer):
    """A public report. Never the reporter's email, phone or (unless they chose) name, except `reporter`
    for staff of the responsible government (context show_reporter; clients.models.ApiKey.sees_reporter_of)."""

    id = serializers.IntegerField(help_text=_("also the Open311 service_request_id"))
    category = CategoryBriefOutputSerializer()
    description = serializers.CharField()
    answers = serializers.DictField()
    status = serializers.CharField(help_text=_("submitted, acknowledged, in_progress or closed"))
    state = serializers.CharField(source="open311_status", help_text=_("open or closed"))
    outcome = serializers.CharField(allow_null=True)
    lat = serializers.FloatField()
    lon = serializers.FloatField()
    address = serializers.CharField()
    local_government = AreaBriefOutputSerializer()
    channel = serializers.CharField()
    public_name = serializers.CharField()
    support_count = serializers.IntegerField()
    photos = serializers.ListField(child=serializers.URLField())
    media_url = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    reporter = ReporterOutputSerializer(
        required=False, help_text=_("only in a report's detail, for a staff-scoped key of the responsible local government")
    )

    def to_representation(self, report):
        request = self.context["request"]
        data = {
            "id": report.pk,
            "category": {"code": report.category.code, "name": report.category.name, "name_en": report.category.name_en},
            "description": report.description,
            "answers": report.answers,
            "status": report.status,
            "state": report.open311_status,
            "outcome": report.outcome or None,
            "lat": round(report.public_location.y, 6),
            "lon": round(report.public_location.x, 6),
            "address": report.address,
            "local_government": {"code": report.local_government.code, "name": report.local_government.name},
            "channel": report.channel,
            "public_name": report.public_name,
            "support_count": report.support_count,
            "photos": [request.build_absolute_uri(photo.image.url) for photo in report.photos.all()],
            "media_url": report.media_url or None,
            "created_at": serializers.DateTimeField().to_representation(report.created_at),
            "updated_at": serializers.DateTimeField().to_representation(report.updated_at),
            "due_at": serializers.DateTimeField().to_representation(report.due_at),
            "closed_at": serializers.DateTimeField().to_representation(report.closed_at) if report.closed_at else None,
        }
        if self.context.get("show_reporter"):
            data["reporter"] = {"email": report.reporter_email, "phone": report.reporter_phone, "name": report.reporter_name}
        return data


class ReportCreatedOutputSerializer(ReportOutputSerializer):
    token = serializers.UUIDField(help_text=_("the Open311 token, to look the request up"))

    def to_representation(self, report):
        return {**super().to_representation(report), "token": str(report.token)}


class ReportPageOutputSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text=_("the next page (cursor), or null"))
    previous = serializers.URLField(allow_null=True)
    results = ReportOutputSerializer(many=True)


class ReportListInputSerializer(serializers.Serializer):
    """Documented here; parsed by reports.selectors.report_filters_parse so every channel agrees."""

    bbox = serializers.CharField(required=False, allow_blank=True, help_text=_("minLon,minLat,maxLon,maxLat"))
    category = serializers.CharField(required=False, allow_blank=True, help_text=_("comma list of category codes"))
    status = serializers.CharField(required=False, allow_blank=True, help_text=_("comma list: open, closed, submitted, acknowledged, in_progress"))
    local_government = serializers.CharField(required=False, allow_blank=True, help_text=_("KOSTAT code; a 2-digit province code includes its governments"))
    start = serializers.CharField(required=False, allow_blank=True, help_text=_("date or ISO 8601 date-time"))
    end = serializers.CharField(required=False, allow_blank=True, help_text=_("date or ISO 8601 date-time"))
    cursor = serializers.CharField(required=False, allow_blank=True)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200)


# --- comments and supports ------------------------------------------------------------------


class CommentCreateInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)
    name = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    show_name = serializers.BooleanField(required=False, default=False)
    email = serializers.EmailField(required=False, allow_blank=True, default="", help_text=_("private"))


class CommentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    author_name = serializers.CharField(help_text=_("empty unless the author chose to show it"))
    created_at = serializers.DateTimeField()

    def to_representation(self, comment):
        return {
            "id": comment.pk,
            "text": comment.text,
            "author_name": comment.author_name if comment.show_name else "",
            "created_at": serializers.DateTimeField().to_representation(comment.created_at),
        }


class SupportCreateInputSerializer(serializers.Serializer):
    email = serializers.EmailField(help_text=_("the supporter's email: one support per person; private"))


class SupportOutputSerializer(serializers.Serializer):
    supported = serializers.BooleanField(help_text=_("false when this person already supported the report"))
    support_count = serializers.IntegerField()
