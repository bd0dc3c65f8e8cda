"""Web forms: thin input checks; the rules themselves live in reports.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import Category, Question
from reports.services import MAX_DESCRIPTION


def category_choices(categories: list[Category], language: str) -> list:
    """Categories grouped for an <optgroup> select, in the current language."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for category in categories:
        group = (category.group_en if language.startswith("en") and category.group_en else category.group) or str(_("Other"))
        groups.setdefault(group, []).append((category.code, category.display_name(language)))
    return [("", _("Choose a category")), *groups.items()]


class ReportForm(forms.Form):
    form_token = forms.UUIDField(widget=forms.HiddenInput)
    lon = forms.FloatField(
        label=_("Longitude"), min_value=-180, max_value=180,
        error_messages={"required": _("Set the location: tap the map, use your location or search for a place.")},
    )
    lat = forms.FloatField(
        label=_("Latitude"), min_value=-90, max_value=90,
        error_messages={"required": _("Set the location: tap the map, use your location or search for a place.")},
    )
    category = forms.ChoiceField(label=_("Category"), error_messages={"required": _("Choose a category.")})
    description = forms.CharField(
        label=_("Description"), max_length=MAX_DESCRIPTION, widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Describe the problem.")},
    )
    email = forms.EmailField(label=_("Email"), required=False)
    consent = forms.BooleanField(label=_("I agree to the collection of my email address as described."), required=False)
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    show_name = forms.BooleanField(label=_("Show my name publicly"), required=False)

    def __init__(self, *args, categories: list[Category], language: str, signed_in: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = {category.code: category for category in categories}
        self.fields["category"].choices = category_choices(categories, language)
        self.signed_in = signed_in

    def clean(self):
        data = super().clean()
        if not self.signed_in:
            if not data.get("email") and "email" not in self.errors:
                self.add_error("email", _("Give your email address so we can confirm the report and tell you what happens."))
            if not data.get("consent"):
                self.add_error("consent", _("Agree to the collection of your email address to send the report."))
        return data

    def selected_category(self) -> Category | None:
        return self.categories.get(self.cleaned_data.get("category", ""))


def answer_field_name(category: Category, question: Question) -> str:
    return f"answer-{category.code}-{question.code}"


def answers_from_post(post, category: Category) -> dict:
    """The answers to the chosen category's questions, as report_create expects them."""
    answers: dict = {}
    for question in category.questions.all():
        if not question.variable:
            continue
        name = answer_field_name(category, question)
        if question.datatype == Question.Datatype.MULTIVALUELIST:
            values = [value for value in post.getlist(name) if value]
            if values:
                answers[question.code] = values
        else:
            value = post.get(name, "").strip()
            if value:
                answers[question.code] = value
    return answers


class SupportForm(forms.Form):
    email = forms.EmailField(label=_("Email"), required=False)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Why should it be reopened?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
