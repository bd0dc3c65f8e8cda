"""Shapes of the polls API. No shape carries a voter: ballots appear only in the published log."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.serializers import AreaRefSerializer
from residency.eligibility import Rule


class PollGovernmentSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class PollSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    question = serializers.CharField()
    local_government = PollGovernmentSerializer()
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    status = serializers.ChoiceField(choices=["upcoming", "open", "closed"])
    eligibility_rule = serializers.ChoiceField(choices=Rule.choices)
    areas = serializers.ListField(child=serializers.CharField(), help_text=_("KOSTAT codes of the areas whose residents may vote"))
    multiple = serializers.BooleanField()
    interim_results = serializers.BooleanField()
    is_example = serializers.BooleanField(help_text=_("demo data, never counted"))
    voters = serializers.IntegerField(help_text=_("how many people have voted"))


class PointSerializer(serializers.Serializer):
    lon = serializers.FloatField()
    lat = serializers.FloatField()


class ChoiceSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    label = serializers.CharField()
    image_url = serializers.CharField(allow_null=True)
    location = PointSerializer(allow_null=True)


class ChoiceCountSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    votes = serializers.IntegerField()


class AreaResultSerializer(serializers.Serializer):
    area = AreaRefSerializer(allow_null=True, help_text=_("null: the other areas together"))
    level = serializers.CharField(allow_blank=True)
    ballots = serializers.IntegerField()
    tally = ChoiceCountSerializer(many=True)


class ResultsSerializer(serializers.Serializer):
    tally = ChoiceCountSerializer(many=True)
    by_area = AreaResultSerializer(many=True, help_text=_("an area with fewer than 10 ballots is merged into its parent"))


class LogSerializer(serializers.Serializer):
    published = serializers.BooleanField()
    head = serializers.CharField(allow_blank=True, help_text=_("the chain's last hash, fixed at the close"))
    url = serializers.CharField()


class PollDetailSerializer(PollSerializer):
    description = serializers.CharField(allow_blank=True)
    choices = ChoiceSerializer(many=True)
    results = ResultsSerializer(allow_null=True, help_text=_("null until results are visible"))
    log = LogSerializer()


class VoteInputSerializer(serializers.Serializer):
    choices = serializers.ListField(child=serializers.IntegerField(), min_length=1, help_text=_("choice numbers; one unless the poll allows several"))
    change = serializers.BooleanField(default=False, help_text=_("true to replace your earlier vote"))


class VoteOutputSerializer(serializers.Serializer):
    receipt = serializers.CharField(help_text=_("find it in the ballot log after the close"))
