"""Shapes of the topics API. No shape carries a voter or an author: positions are anonymous."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from residency.eligibility import Rule
from topics.models import STATEMENT_MAX_LENGTH


class TopicGovernmentSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class TopicSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    local_government = TopicGovernmentSerializer()
    proposal = serializers.IntegerField(allow_null=True, help_text=_("the proposal the topic belongs to; null when standalone"))
    eligibility_rule = serializers.ChoiceField(choices=Rule.choices)
    areas = serializers.ListField(child=serializers.CharField(), help_text=_("KOSTAT codes of the areas whose residents may take part"))
    is_open = serializers.BooleanField()
    is_example = serializers.BooleanField(help_text=_("demo data, never counted"))
    statements = serializers.IntegerField(help_text=_("statements shown"))
    created_at = serializers.DateTimeField()


class RepresentativeSerializer(serializers.Serializer):
    statement = serializers.IntegerField()
    direction = serializers.ChoiceField(choices=["agree", "disagree"])
    probability = serializers.FloatField(help_text=_("(n + 1) / (seen + 2) within the group"))
    ratio = serializers.FloatField(help_text=_("the same within the group over the same outside it"))


class GroupStatementVotesSerializer(serializers.Serializer):
    statement = serializers.IntegerField()
    agree = serializers.IntegerField()
    disagree = serializers.IntegerField()
    seen = serializers.IntegerField()


class GroupSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text=_("1 = the largest group"))
    size = serializers.IntegerField()
    representative = RepresentativeSerializer(many=True)
    votes = GroupStatementVotesSerializer(many=True)


class ConsensusSerializer(serializers.Serializer):
    statement = serializers.IntegerField()
    consensus = serializers.FloatField(help_text=_("product over groups of (agree + 1) / (seen + 2)"))


class OpinionMapSerializer(serializers.Serializer):
    computed_at = serializers.DateTimeField()
    voters = serializers.IntegerField()
    participants = serializers.IntegerField(help_text=_("placed on the map: voted on at least min(7, statements)"))
    positions = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField(), min_length=3, max_length=3),
        help_text=_("[x, y, group number] per placed participant, by an anonymous index"),
    )
    groups = GroupSerializer(many=True)
    consensus = ConsensusSerializer(many=True)
    common_ground = serializers.ListField(child=serializers.IntegerField(), help_text=_("statements every group agrees with, best first"))


class TopicDetailSerializer(TopicSerializer):
    description = serializers.CharField(allow_blank=True)
    opinion_map = OpinionMapSerializer(allow_null=True, help_text=_("null until the first recompute"))


class StatementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    agree = serializers.IntegerField()
    disagree = serializers.IntegerField()
    passed = serializers.IntegerField(help_text=_("pass votes"))
    your_vote = serializers.CharField(allow_null=True, help_text=_("agree, disagree or pass: the signed-in person's vote; null otherwise"))


class StatementInputSerializer(serializers.Serializer):
    text = serializers.CharField(help_text=_("at most %(max)d characters") % {"max": STATEMENT_MAX_LENGTH}, trim_whitespace=False)


class StatementCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    moderation = serializers.CharField(help_text=_("pending: shown once a moderator has read it"))


class TopicVoteInputSerializer(serializers.Serializer):
    vote = serializers.CharField(help_text=_("agree, disagree or pass"))


class TopicVoteOutputSerializer(serializers.Serializer):
    statement = serializers.IntegerField()
    vote = serializers.CharField()
