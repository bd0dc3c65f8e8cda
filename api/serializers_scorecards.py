"""Output and input shapes of the scorecards API; the indicator fields come from the one catalogue."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.serializers import AreaRefSerializer
from scorecards.indicators import BY_KEY, OBJECT_KEYS, REASONS
from scorecards.models import PeerGroup


class ScorecardListInputSerializer(serializers.Serializer):
    province = serializers.RegexField(r"^\d{2}$", required=False, help_text=_("a province code, e.g. 31"),
                                      error_messages={"invalid": _("province must be a two-digit province code.")})
    peer_group = serializers.ChoiceField(choices=PeerGroup.choices, required=False)


class IndicatorSerializer(serializers.Serializer):
    """{"value", "low", "high", "n"}, or {"value": null, "reason"} when it cannot be computed."""

    value = serializers.FloatField(allow_null=True)
    low = serializers.FloatField(allow_null=True, required=False, help_text=_("95 % interval; null when unbounded"))
    high = serializers.FloatField(allow_null=True, required=False, help_text=_("95 % interval; null when unbounded"))
    n = serializers.IntegerField(required=False, help_text=_("the reports (or units) the value is computed from"))
    reason = serializers.ChoiceField(choices=list(REASONS), required=False)

    def to_representation(self, instance):
        # A missing value is exactly {"value": null, "reason"}: no interval keys standing for nothing.
        return {key: value for key, value in super().to_representation(instance).items() if key in instance}


def _indicator_fields() -> dict:
    return {key: IndicatorSerializer(help_text=str(BY_KEY[key].label)) for key in OBJECT_KEYS}


ScorecardSerializer = type(
    "ScorecardSerializer",
    (serializers.Serializer,),
    {
        "__doc__": "One local government's scorecard; definitions at /scorecards/methods/.",
        "code": serializers.CharField(),
        "name": serializers.CharField(),
        "name_en": serializers.CharField(),
        "province": AreaRefSerializer(),
        "level": serializers.ChoiceField(choices=PeerGroup.choices),
        "peer_group": serializers.ChoiceField(choices=PeerGroup.choices),
        "reports_received": serializers.IntegerField(),
        **_indicator_fields(),
        "closed_reports": serializers.IntegerField(help_text=_("closed reports (not duplicates): a band needs SCORECARD_MIN_REPORTS")),
        "band": serializers.IntegerField(allow_null=True, min_value=1, max_value=5, help_text=_("1 = best 10 % of the peer group")),
        "band_reason": serializers.ChoiceField(choices=["too_few"], allow_null=True),
        "computed_at": serializers.DateTimeField(),
    },
)


class CurvePointSerializer(serializers.Serializer):
    day = serializers.IntegerField()
    s = serializers.FloatField(help_text=_("share still open at the end of the day"))
    low = serializers.FloatField(allow_null=True)
    high = serializers.FloatField(allow_null=True)


class FunnelSerializer(serializers.Serializer):
    p0 = serializers.FloatField()
    lower95 = serializers.FloatField()
    upper95 = serializers.FloatField()
    lower998 = serializers.FloatField()
    upper998 = serializers.FloatField()
    position = serializers.ChoiceField(choices=["below_998", "below_95", "within", "above_95", "above_998"])


class SubmunicipalUnitSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    closed_reports = serializers.IntegerField()
    median_days_to_close = serializers.FloatField(allow_null=True)
    counted = serializers.BooleanField()


class TrendPointSerializer(serializers.Serializer):
    quarter = serializers.CharField(help_text=_("the quarter of filing, e.g. 2026-Q2"))
    start = serializers.DateField(help_text=_("its first day"))
    reports_received = serializers.IntegerField()
    median_days_to_close = IndicatorSerializer()
    share_closed_within_sla = IndicatorSerializer()


class ScorecardDetailSerializer(ScorecardSerializer):
    km_close = CurvePointSerializer(many=True)
    km_close_peer = CurvePointSerializer(many=True)
    funnel = serializers.DictField(child=FunnelSerializer())
    submunicipal_units = SubmunicipalUnitSerializer(many=True)
    trends = TrendPointSerializer(many=True, help_text=_("the last 8 quarters, oldest first"))
