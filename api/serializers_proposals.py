"""Shapes of the proposals API. No shape names a resident: authors, commenters and supporters are counts or
"a resident"; experts are shown as the government's experts."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from proposals.models import Answer, Level, Obligation, Proposal, Stance
from residency.eligibility import Rule


class ProposalGovernmentSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ProposalPointSerializer(serializers.Serializer):
    lon = serializers.FloatField()
    lat = serializers.FloatField()


class ProposalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    local_government = ProposalGovernmentSerializer()
    location = ProposalPointSerializer()
    status = serializers.ChoiceField(choices=Proposal.Status.choices)
    support_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    is_example = serializers.BooleanField(help_text=_("demo data, never counted"))
    url = serializers.CharField(help_text=_("the public page"))


class ProposalThresholdSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=Level.choices)
    supports = serializers.IntegerField()
    days = serializers.IntegerField()


class ProposalObligationSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=Level.choices)
    threshold = serializers.IntegerField()
    created_at = serializers.DateTimeField(help_text=_("when the threshold was crossed"))
    deadline = serializers.DateTimeField(help_text=_("the original deadline"))
    due_at = serializers.DateTimeField(help_text=_("the current due date (moved by an 'under review' answer with a next date)"))
    state = serializers.ChoiceField(choices=Obligation.State.choices)
    days_left = serializers.IntegerField(allow_null=True)
    days_overdue = serializers.IntegerField(allow_null=True)
    answered_at = serializers.DateTimeField(allow_null=True)


class ProposalAnswerSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Answer.Kind.choices)
    text = serializers.CharField()
    next_date = serializers.DateField(allow_null=True)
    policy_title = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()


class ProposalMilestoneSerializer(serializers.Serializer):
    title = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    progress = serializers.IntegerField(min_value=0, max_value=100)
    note = serializers.CharField(allow_blank=True)
    updated_at = serializers.DateTimeField()


class ProposalAlternativeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField()
    created_at = serializers.DateTimeField()


class ProposalStanceCountSerializer(serializers.Serializer):
    for_ = serializers.IntegerField()
    neutral = serializers.IntegerField()
    against = serializers.IntegerField()

    def get_fields(self):
        fields = super().get_fields()
        fields["for"] = fields.pop("for_")  # "for" is a Python keyword
        return fields


class ProposalDetailSerializer(ProposalSerializer):
    body = serializers.CharField()
    reports = serializers.ListField(child=serializers.IntegerField(), help_text=_("ids of the public reports it links"))
    eligibility_rule = serializers.ChoiceField(choices=Rule.choices, help_text=_("who may support"))
    thresholds = ProposalThresholdSerializer(many=True)
    obligations = ProposalObligationSerializer(many=True)
    answers = ProposalAnswerSerializer(many=True)
    milestones = ProposalMilestoneSerializer(many=True)
    alternatives = ProposalAlternativeSerializer(many=True, help_text=_("by the government's experts, shown apart"))
    stances = ProposalStanceCountSerializer(help_text=_("visible comments by stance"))


class ProposalInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=8000)
    lon = serializers.FloatField()
    lat = serializers.FloatField()
    reports = serializers.ListField(child=serializers.IntegerField(), required=False, default=list, max_length=10)


class ProposalSupportOutputSerializer(serializers.Serializer):
    support_count = serializers.IntegerField()
    obligations = ProposalObligationSerializer(many=True)


class ProposalCommentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    parent = serializers.IntegerField(allow_null=True)
    depth = serializers.IntegerField(min_value=1, max_value=3)
    stance = serializers.ChoiceField(choices=Stance.choices)
    body = serializers.CharField()
    created_at = serializers.DateTimeField()


class ProposalCommentInputSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=2000)
    stance = serializers.ChoiceField(choices=Stance.choices)
    parent = serializers.IntegerField(required=False, allow_null=True, help_text=_("the comment replied to; replies go 3 levels deep"))
