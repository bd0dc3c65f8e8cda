from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import Outcome, Status
from staff.services import Moderation


class QueueFilterForm(forms.Form):
    government = forms.CharField(required=False)
    status = forms.ChoiceField(required=False, choices=[("", _("All")), ("open", _("Open")), ("closed", _("Closed"))] + list(Status.choices))
    category = forms.CharField(required=False)
    sort = forms.ChoiceField(required=False, choices=[("due", _("Due date, overdue first")), ("-created", _("Newest")), ("created", _("Oldest"))])


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=[(value, label) for value, label in Status.choices if value != Status.SUBMITTED])
    outcome = forms.ChoiceField(label=_("Outcome (when closing)"), required=False, choices=[("", "—")] + list(Outcome.choices))
    duplicate_of = forms.IntegerField(label=_("Duplicate of report #"), required=False, min_value=1)
    public_note = forms.CharField(label=_("Public note"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    reason = forms.CharField(label=_("Reason (internal)"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)


class UpdateForm(forms.Form):
    public_note = forms.CharField(label=_("Official update"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class AssignForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=None, required=False)
    officer = forms.ModelChoiceField(label=_("Officer"), queryset=None, required=False)

    def __init__(self, *args, departments, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["officer"].queryset = officers


class RerouteForm(forms.Form):
    to_government = forms.CharField(label=_("Local government code (KOSTAT)"), max_length=10)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)


class ModerateForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in Moderation.ACTIONS])
    reason = forms.CharField(label=_("Reason"), max_length=4000)
    comment = forms.IntegerField(required=False)
    photo = forms.IntegerField(required=False)
