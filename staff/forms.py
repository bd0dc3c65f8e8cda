from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import Outcome, Status
from staff.models import StaffRole
from staff.selectors import staff_government_resolve
from staff.services import Moderation


class GovernmentField(forms.CharField):
    """A local government typed as its code, its name or "name (code)"; a datalist in the page
    offers the matches. Cleans to the Area."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 120)
        kwargs.setdefault("help_text", _("Type a name or a KOSTAT code, e.g. 종로구 or 11010."))
        super().__init__(**kwargs)
        self.widget.attrs.update({"list": "government-options", "autocomplete": "off"})

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        area, candidates = staff_government_resolve(query=text)
        if area is None:
            if candidates:
                names = ", ".join(f"{c.name} ({c.code})" for c in candidates[:8])
                raise forms.ValidationError(_("Several local governments match; choose one: %(names)s.") % {"names": names})
            raise forms.ValidationError(_("No local government has this name or code."))
        return area


class QueueFilterForm(forms.Form):
    government = forms.CharField(required=False)
    status = forms.ChoiceField(required=False, choices=[("", _("All")), ("open", _("Open")), ("closed", _("Closed"))] + list(Status.choices))
    category = forms.CharField(required=False)
    sort = forms.ChoiceField(required=False, choices=[("due", _("Due date, overdue first")), ("-created", _("Newest")), ("created", _("Oldest"))])
    view = forms.ChoiceField(required=False, choices=[("list", _("List")), ("map", _("Map"))])


class ReplyTemplateChoiceMixin:
    """A saved reply to pick; the page's script copies it into the note, and without the script
    an empty note is filled with it on the server."""

    def _add_reply_templates(self, templates):
        templates = list(templates or [])
        self.reply_templates = {str(t.pk): t.text for t in templates}
        if templates:
            self.fields["reply_template"] = forms.ChoiceField(
                label=_("Saved reply"), required=False,
                choices=[("", "—")] + [(str(t.pk), t.title) for t in templates],
                widget=forms.Select(attrs={"data-fills": "public_note"}),
            )
            self.order_fields(["reply_template"])

    def _fill_note(self, data: dict) -> dict:
        chosen = data.get("reply_template")
        if chosen and not (data.get("public_note") or "").strip():
            data["public_note"] = self.reply_templates.get(chosen, "")
        return data


class StatusForm(ReplyTemplateChoiceMixin, forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=[(value, label) for value, label in Status.choices if value != Status.SUBMITTED])
    outcome = forms.ChoiceField(label=_("Outcome (when closing)"), required=False, choices=[("", "—")] + list(Outcome.choices))
    duplicate_of = forms.IntegerField(label=_("Duplicate of report #"), required=False, min_value=1)
    public_note = forms.CharField(label=_("Public note"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    reason = forms.CharField(
        label=_("Reason (internal)"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=4000,
        help_text=_("Required when the report is not accepted; kept in the audit trail, not shown to the public."),
    )

    def __init__(self, *args, reply_templates=None, **kwargs):
        kwargs.setdefault("auto_id", "status-%s")  # several forms share a page: unique ids for their labels
        super().__init__(*args, **kwargs)
        self.order_fields(["to_status", "outcome", "duplicate_of", "public_note", "reason"])
        self._add_reply_templates(reply_templates)

    def clean(self):
        return self._fill_note(super().clean())


class UpdateForm(ReplyTemplateChoiceMixin, forms.Form):
    public_note = forms.CharField(label=_("Official update"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)

    def __init__(self, *args, reply_templates=None, **kwargs):
        kwargs.setdefault("auto_id", "update-%s")
        super().__init__(*args, **kwargs)
        self._add_reply_templates(reply_templates)

    def clean(self):
        data = self._fill_note(super().clean())
        if not (data.get("public_note") or "").strip() and "public_note" not in self.errors:
            self.add_error("public_note", _("Write the update."))
        return data


class AssignForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=None, required=False)
    officer = forms.ModelChoiceField(label=_("Officer"), queryset=None, required=False)

    def __init__(self, *args, departments, officers, **kwargs):
        kwargs.setdefault("auto_id", "assign-%s")
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["officer"].queryset = officers


class RerouteForm(forms.Form):
    to_government = GovernmentField(label=_("Local government"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "reroute-%s")
        super().__init__(*args, **kwargs)


class ModerateForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in Moderation.ACTIONS])
    reason = forms.CharField(label=_("Reason"), max_length=4000)
    comment = forms.IntegerField(required=False)
    photo = forms.IntegerField(required=False)


class BulkForm(forms.Form):
    ACKNOWLEDGE, ASSIGN = "acknowledge", "assign"
    action = forms.ChoiceField(label=_("With the chosen reports"), choices=[(ACKNOWLEDGE, _("Acknowledge")), (ASSIGN, _("Assign"))])
    reports = forms.TypedMultipleChoiceField(coerce=int, choices=[], error_messages={"required": _("Tick at least one report.")})
    department = forms.ModelChoiceField(label=_("Department"), queryset=None, required=False)
    officer = forms.ModelChoiceField(label=_("Officer"), queryset=None, required=False)

    def __init__(self, *args, report_ids, departments, officers, **kwargs):
        kwargs.setdefault("auto_id", "bulk-%s")
        super().__init__(*args, **kwargs)
        self.fields["reports"].choices = [(pk, pk) for pk in report_ids]
        self.fields["department"].queryset = departments
        self.fields["officer"].queryset = officers

    def clean(self):
        data = super().clean()
        if data.get("action") == self.ASSIGN and not (data.get("department") or data.get("officer")):
            self.add_error("department", _("Choose a department or an officer."))
        return data


ROLE_CHOICES = [(value, label) for value, label in StaffRole.Role.choices]


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, initial=StaffRole.Role.STAFF)


class RolesForm(forms.Form):
    user = forms.IntegerField(widget=forms.HiddenInput)
    roles = forms.MultipleChoiceField(label=_("Roles"), choices=ROLE_CHOICES, required=False, widget=forms.CheckboxSelectMultiple)


class ReplyTemplateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    text = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class AdministratorGrantForm(forms.Form):
    government = GovernmentField(label=_("Local government"))
    email = forms.EmailField(label=_("Email of the administrator"))
