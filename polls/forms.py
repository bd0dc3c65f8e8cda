from django import forms
from django.utils.translation import gettext_lazy as _

from residency.eligibility import Rule

MAX_FORM_CHOICES = 6


class PollForm(forms.Form):
    """The staff form; choices are rows choice_<n>, choice_<n>_image, choice_<n>_lon/lat (the service checks them)."""

    question = forms.CharField(label=_("Question"), max_length=300)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    opens_at = forms.DateTimeField(label=_("Opens at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    closes_at = forms.DateTimeField(label=_("Closes at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    eligibility_rule = forms.ChoiceField(label=_("Who may vote"), choices=Rule.choices)
    areas = forms.CharField(
        label=_("Areas (for residents): KOSTAT codes or names of 읍면동 or of the government, separated by commas"), required=False,
    )
    multiple = forms.BooleanField(label=_("Several choices allowed"), required=False)
    interim_results = forms.BooleanField(label=_("Show results while the poll is open"), required=False)


class ResidenceForm(forms.Form):
    query = forms.CharField(label=_("Your 읍면동 (neighbourhood), by name"), required=False, max_length=100)
    code = forms.CharField(required=False, max_length=10, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)


class InvitationCodeForm(forms.Form):
    code = forms.CharField(label=_("Invitation code from your local government"), max_length=40)


class IdentityForm(forms.Form):
    di = forms.CharField(label=_("Test identifier (DI) — test adapter only"), max_length=200)


class RollForm(forms.Form):
    roll = forms.FileField(label=_("Residents' roll (CSV with an email column)"))


class CodesForm(forms.Form):
    count = forms.IntegerField(label=_("How many codes"), min_value=1, max_value=10_000, initial=100)
