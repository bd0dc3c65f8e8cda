from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("machine-readable, e.g. invalid_parameter or outside_service_area"))
    message = serializers.CharField(help_text=_("for people, in the request's language"))
    fields = serializers.DictField(required=False, help_text=_("messages per input field, when input was invalid"))


class ErrorResponseSerializer(serializers.Serializer):
    """The one error shape of the API (api.errors): {"error": {"code", "message", "fields"?}}."""

    error = ErrorBodySerializer()


class AreaRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()


class LookupInputSerializer(serializers.Serializer):
    lat = serializers.FloatField(min_value=-90, max_value=90, error_messages={"invalid": _("lat must be a number.")})
    lon = serializers.FloatField(min_value=-180, max_value=180, error_messages={"invalid": _("lon must be a number.")})


class LookupOutputSerializer(serializers.Serializer):
    province = AreaRefSerializer()
    local_government = AreaRefSerializer()
    municipal_unit = AreaRefSerializer()
    submunicipal_unit = AreaRefSerializer(allow_null=True)
    address = serializers.CharField()


class AreaOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    level = serializers.CharField()
    is_local_government = serializers.BooleanField()
    parent = serializers.CharField(source="parent.code", allow_null=True, default=None)
    local_government = serializers.CharField(source="local_government.code", allow_null=True, default=None)


class AreaListInputSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=["province", "city", "municipal", "submunicipal"], required=False)
    parent = serializers.CharField(required=False, max_length=10)
    local_government = serializers.BooleanField(required=False, default=False)


class AreaDetailInputSerializer(serializers.Serializer):
    simplify = serializers.FloatField(required=False, min_value=0, max_value=1, help_text=_("tolerance in degrees"))
