"""Forms of the campaign pages. They parse what people typed; campaigns.services decides."""

from __future__ import annotations

import json
from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import CampaignMember, CoverageUnit, Participation, Theme

# What a new campaign's form starts with: a barrier-free survey, which organisers edit.
DEFAULT_FORM_FIELDS = [
    {"key": "entrance", "label": "입구 형태", "datatype": "singlevaluelist", "required": True, "public": True,
     "values": [{"key": "flat", "name": "턱 없음"}, {"key": "step", "name": "계단·턱"}, {"key": "ramp", "name": "경사로"}]},
    {"key": "note", "label": "메모", "datatype": "text", "required": False, "public": True, "values": []},
    {"key": "photo", "label": "사진", "datatype": "photo", "required": False, "public": True, "values": []},
    {"key": "contact", "label": "연락처 (비공개)", "datatype": "string", "required": False, "public": False, "values": []},
]
DEFAULT_ENTRY_TYPES = [
    {"key": "shop", "label": "가게 입구", "colour": "#1f78b4", "icon": "♿"},
    {"key": "toilet", "label": "장애인 화장실", "colour": "#33a02c", "icon": "WC"},
]


class JSONListField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 8, "spellcheck": "false"})

    def to_python(self, value):
        text = super().to_python(value)
        try:
            parsed = json.loads(text or "[]")
        except ValueError as exc:
            raise forms.ValidationError(_("This is not valid JSON: %(error)s") % {"error": exc}) from exc
        if not isinstance(parsed, list):
            raise forms.ValidationError(_("Give a JSON list."))
        return parsed

    def prepare_value(self, value):
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, indent=1)


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(label=_("Address (slug)"), max_length=80, help_text=_("lower-case letters, digits and hyphens: /campaigns/<slug>/"))
    theme = forms.ChoiceField(label=_("Theme"), choices=Theme.choices)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=10_000)
    organiser = forms.ChoiceField(label=_("Organiser"))
    governments = forms.CharField(
        label=_("Area: local governments"), required=False,
        help_text=_("KOSTAT codes separated by commas, e.g. 11010, 11020; empty: the organising government."),
    )
    drawn_area = forms.CharField(
        label=_("Or a drawn area (GeoJSON polygon)"), required=False, widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
    )
    starts_at = forms.DateTimeField(label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    ends_at = forms.DateTimeField(label=_("Ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    participation = forms.ChoiceField(label=_("Who may map"), choices=Participation.choices)
    coverage_unit = forms.ChoiceField(label=_("Coverage units"), choices=CoverageUnit.choices)
    form_fields = JSONListField(label=_("Entry form (JSON)"), required=False,
                                help_text=_('Each field: key, label, datatype (string, text, number, datetime, singlevaluelist, multivaluelist, photo), required, values, public.'))
    entry_types = JSONListField(label=_("Entry types and map style (JSON)"),
                                help_text=_("Each type: key, label, colour (#rrggbb), icon (a short symbol)."))

    def __init__(self, *args, organisers: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].choices = organisers
        if not self.is_bound:
            now = timezone.localtime().replace(second=0, microsecond=0)
            self.initial.setdefault("starts_at", now)
            self.initial.setdefault("ends_at", now + timedelta(days=7))
            self.initial.setdefault("form_fields", DEFAULT_FORM_FIELDS)
            self.initial.setdefault("entry_types", DEFAULT_ENTRY_TYPES)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class MemberForm(forms.Form):
    person = forms.CharField(label=_("User name or email"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=CampaignMember.Role.choices)
    team = forms.CharField(label=_("Team"), max_length=80, required=False)


def answer_name(key: str) -> str:
    return f"answer-{key}"


def entry_answers_from_post(post, form_fields: list[dict]) -> dict:
    """The form's answers as posted, for campaigns.services to check (lists for several choices)."""
    answers: dict = {}
    for field in form_fields:
        if field["datatype"] == "photo":
            continue
        name = answer_name(field["key"])
        if field["datatype"] == "multivaluelist":
            values = post.getlist(name)
            if values:
                answers[field["key"]] = values
        elif post.get(name, "") != "":
            answers[field["key"]] = post.get(name)
    return answers


def entry_photos_from_files(files, form_fields: list[dict]) -> dict:
    return {
        field["key"]: files.getlist(answer_name(field["key"]))
        for field in form_fields if field["datatype"] == "photo" and files.getlist(answer_name(field["key"]))
    }
