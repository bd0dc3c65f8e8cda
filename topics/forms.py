from django import forms
from django.utils.translation import gettext_lazy as _

from residency.eligibility import Rule
from topics.models import STATEMENT_MAX_LENGTH


class TopicForm(forms.Form):
    """The staff form; the service checks the rest (areas within the government, statement lengths)."""

    title = forms.CharField(label=_("Question"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    eligibility_rule = forms.ChoiceField(label=_("Who may take part"), choices=Rule.choices)
    areas = forms.CharField(
        label=_("Areas (for residents): KOSTAT codes or names of 읍면동 or of the government, separated by commas"), required=False,
    )
    proposal = forms.IntegerField(label=_("On proposal number (optional)"), required=False, min_value=1)
    statements = forms.CharField(
        label=_("First statements, one a line (at most 140 characters each)"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
    )


class StatementForm(forms.Form):
    # No max_length here: the service gives the one clear message with the count.
    text = forms.CharField(
        label=_("Your statement (at most %(max)d characters)") % {"max": STATEMENT_MAX_LENGTH},
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": STATEMENT_MAX_LENGTH}),
    )
