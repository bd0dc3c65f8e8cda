"""Forms of the model pages: they parse what people typed; standard_models.services decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Theme


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    theme = forms.ChoiceField(label=_("Theme"), required=False, choices=[("", _("All themes")), *Theme.choices])
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All regions")), *[(area.code, area.name) for area in regions]]


class AdoptForm(forms.Form):
    government = forms.ChoiceField(label=_("Adopting government"))
    start = forms.DateField(label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}),
                            error_messages={"invalid": _("Give the start date as YYYY-MM-DD.")})

    def __init__(self, *args, governments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["government"].choices = [(area.code, area.name) for area in governments]
