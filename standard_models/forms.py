"""Forms of the model pages: they parse what people typed; standard_models.services decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Theme
from standard_models.documents import LICENCES


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


class PublishForm(forms.Form):
    government = forms.ChoiceField(label=_("Publishing government"))
    campaign = forms.ChoiceField(label=_("Campaign"), required=False)
    categories = forms.MultipleChoiceField(label=_("Categories and their workflow"), required=False, widget=forms.CheckboxSelectMultiple)
    slug = forms.SlugField(label=_("Address"), max_length=60, help_text=_("/models/<address>/; the same address publishes a new version"))
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    theme = forms.ChoiceField(label=_("Theme"), choices=Theme.choices)
    licence = forms.ChoiceField(label=_("Licence"), choices=[(code, code) for code in LICENCES])
    locked = forms.CharField(label=_("Locked fields"), required=False, max_length=1000,
                             help_text=_("keys of the form's fields that adopters keep identical, separated by commas"))
    phases = forms.CharField(label=_("Playbook phases"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
                             help_text=_("one phase a line: name | first day | last day (days from the start, e.g. 준비 | -30 | -1)"))
    evidence = forms.CharField(label=_("Evidence"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 5}),
                               help_text=_("what changed, with figures and their sources, written out (a link alone is not evidence)"))

    def __init__(self, *args, governments=(), campaigns=(), categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["government"].choices = [(g.code, g.name) for g in governments]
        self.fields["campaign"].choices = [("", _("No campaign")), *[(c.slug, f"{c.title} ({c.organiser_government.name})") for c in campaigns]]
        self.fields["categories"].choices = [(c.code, f"{c.name} ({c.code})") for c in categories]

    def clean_phases(self):
        phases = []
        for number, line in enumerate((self.cleaned_data.get("phases") or "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            try:
                name, start, end = parts[0], int(parts[1]), int(parts[2])
            except (IndexError, ValueError) as exc:
                raise forms.ValidationError(_("Line %(n)d: write name | first day | last day.") % {"n": number}) from exc
            phases.append({"name": name, "start_day": start, "end_day": end})
        return phases
