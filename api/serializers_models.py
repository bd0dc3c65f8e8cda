"""Shapes of the standard models API."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.serializers import AreaRefSerializer
from campaigns.models import Theme
from standard_models.models import EvidenceTier


class ModelListInputSerializer(serializers.Serializer):
    theme = serializers.ChoiceField(choices=Theme.values, required=False)
    region = serializers.RegexField(r"^[0-9]{2,10}$", required=False, help_text=_("a province's or a government's code"))
    q = serializers.CharField(required=False, max_length=100)


class ModelSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    theme = serializers.ChoiceField(choices=Theme.values)
    origin_government = AreaRefSerializer()
    licence = serializers.CharField()
    version = serializers.IntegerField(help_text=_("the newest published version"))
    evidence_tier = serializers.ChoiceField(choices=EvidenceTier.values)
    adopters = serializers.IntegerField(help_text=_("how many local governments adopted it"))
    is_example = serializers.BooleanField()
    url = serializers.CharField(help_text=_("its page"))


class VersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    published_at = serializers.DateTimeField()


class CampaignRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()


class AdoptedCategorySerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("its own Open311 service_code: <model code>-<government code>"))
    model_code = serializers.CharField()


class AdoptionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    model = serializers.CharField(help_text=_("the model's slug"))
    version = serializers.IntegerField()
    government = AreaRefSerializer()
    starts_on = serializers.DateField()
    created_at = serializers.DateTimeField()
    campaign = CampaignRefSerializer(allow_null=True)
    categories = AdoptedCategorySerializer(many=True)
    changes = serializers.DictField(help_text=_("what the adopter changed: changed_fields and added_fields"))


class WindowFigureSerializer(serializers.Serializer):
    """A scorecard indicator over a window, in the scorecards' shape; null with a reason when missing."""

    value = serializers.FloatField(allow_null=True)
    low = serializers.FloatField(allow_null=True, required=False)
    high = serializers.FloatField(allow_null=True, required=False)
    n = serializers.IntegerField(required=False, help_text=_("the reports it is computed from"))
    reason = serializers.CharField(required=False, help_text=_("why the value is missing (see /scorecards/methods/#reasons)"))


class WindowFiguresSerializer(serializers.Serializer):
    reports_received = WindowFigureSerializer()
    median_days_to_acknowledge = WindowFigureSerializer()
    median_days_to_close = WindowFigureSerializer()
    share_closed_within_sla = WindowFigureSerializer()


class WindowSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField(help_text=_("the day after the window's last day"))
    days = serializers.IntegerField(help_text=_("days of the window that have passed"))
    complete = serializers.BooleanField(help_text=_("false while the window has not passed (figures up to now)"))
    indicators = WindowFiguresSerializer(help_text=_("definitions: /scorecards/methods/#<key>"))


class AdopterFiguresSerializer(serializers.Serializer):
    before = WindowSerializer(help_text=_("the 90 days before the start"))
    after = WindowSerializer(help_text=_("the 90 days from the start, clipped at today"))


class AdoptionDetailSerializer(AdoptionSerializer):
    figures = AdopterFiguresSerializer(help_text=_("the adopter's scorecard indicators before and after adoption"))


class ModelDetailSerializer(ModelSerializer):
    versions = VersionSerializer(many=True)
    adoptions = AdoptionDetailSerializer(many=True)
    document = serializers.DictField(help_text=_("the newest version's document (see /api/v1/models/schema.json)"))


class AdoptInputSerializer(serializers.Serializer):
    government = serializers.RegexField(r"^[0-9]{2,10}$", help_text=_("the adopting local government's code; the key's own"))
    start = serializers.DateField(help_text=_("YYYY-MM-DD"))
    version = serializers.IntegerField(required=False, min_value=1, help_text=_("default: the newest published"))
    added_fields = serializers.ListField(child=serializers.DictField(), required=False, default=list,
                                         help_text=_("the adopter's own form fields, appended"))
    changed_fields = serializers.DictField(child=serializers.DictField(), required=False, default=dict,
                                           help_text=_("changes by field key (never to a locked field)"))


class ImportOutputSerializer(serializers.Serializer):
    slug = serializers.CharField()
    version = serializers.IntegerField()
    status = serializers.CharField(help_text=_("published, or pending a moderator"))
