"""Forms of the proposal pages: they only shape the input; the services check it and say what is wrong."""

from django import forms
from django.utils.translation import gettext_lazy as _

from moderation.models import FlagReason
from proposals.models import Answer, Stance
from residency.eligibility import Rule


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Your proposal"), max_length=8000, widget=forms.Textarea(attrs={"rows": 6}))
    lon = forms.CharField(widget=forms.HiddenInput, required=False)
    lat = forms.CharField(widget=forms.HiddenInput, required=False)
    reports = forms.CharField(label=_("Related report numbers (optional, separated by commas)"), required=False, max_length=200)

    def report_ids(self) -> list[str]:
        return [part.strip().lstrip("#") for part in self.cleaned_data.get("reports", "").split(",") if part.strip()]


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    stance = forms.ChoiceField(label=_("Your stance"), choices=Stance.choices, widget=forms.RadioSelect)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class AlternativeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("The alternative"), max_length=8000, widget=forms.Textarea(attrs={"rows": 5}))


class FlagForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why"), choices=FlagReason.choices)


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Reason (kept in the audit trail)"), max_length=1000)


class AnswerForm(forms.Form):
    kind = forms.ChoiceField(label=_("Answer"), choices=Answer.Kind.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("Text (for a decline: the reason)"), max_length=8000, widget=forms.Textarea(attrs={"rows": 5}))
    next_date = forms.DateField(label=_("Next date (under review)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    policy_title = forms.CharField(label=_("Policy or project it becomes (accepted)"), required=False, max_length=200)
    milestones = forms.CharField(
        label=_("Milestones (accepted): one a line, 'title | YYYY-MM-DD'"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
    )

    def milestone_rows(self) -> list[dict]:
        rows = []
        for line in (self.cleaned_data.get("milestones") or "").splitlines():
            title, _sep, due = line.partition("|")
            if title.strip() or due.strip():
                rows.append({"title": title.strip(), "due_date": due.strip() or None})
        return rows


class MilestoneForm(forms.Form):
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class SettingsForm(forms.Form):
    eligibility_rule = forms.ChoiceField(label=_("Who may support proposals"), choices=Rule.choices)
    department_supports = forms.IntegerField(label=_("Supports for a department answer"), min_value=1)
    department_days = forms.IntegerField(label=_("Days for the department to answer"), min_value=1, max_value=365)
    forum_supports = forms.IntegerField(label=_("Supports for a public forum"), min_value=1)
    forum_days = forms.IntegerField(label=_("Days to hold the forum"), min_value=1, max_value=365)
    head_supports = forms.IntegerField(label=_("Supports for an answer from the head of government"), min_value=1)
    head_days = forms.IntegerField(label=_("Days for the head of government to answer"), min_value=1, max_value=365)
