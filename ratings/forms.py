from django import forms
from django.utils.translation import gettext_lazy as _


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How was your report handled?"), coerce=int, widget=forms.RadioSelect,
        choices=[(5, _("5 · excellent")), (4, _("4 · good")), (3, _("3 · fair")), (2, _("2 · poor")), (1, _("1 · very poor"))],
    )
    solved = forms.TypedChoiceField(
        label=_("Is the problem really solved?"), widget=forms.RadioSelect, coerce=lambda value: value == "yes",
        choices=[("yes", _("Yes, it is solved")), ("no", _("No, it is not solved (the report is reopened)"))],
    )
