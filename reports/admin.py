"""Admin for categories and reports. Workflow changes go through reports.services, never raw saves."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from reports.models import Category, Outcome, Question, Report, ReportEvent, Status
from reports.services import ADMIN_EDITABLE_FIELDS, report_change_status, report_edit
from reports.services_categories import category_save


def _labelled(name: str, label):
    """A read-only field shown under a translated label: some model fields have no label of their
    own, and the admin would print their English attribute name in the Korean admin."""

    @admin.display(description=label, ordering=name)
    def show(self, obj):
        display = getattr(obj, f"get_{name}_display", None)
        value = display() if display else getattr(obj, name)
        if hasattr(value, "coords") and hasattr(value, "srid"):  # a point: latitude, longitude as people read them
            return f"{value.y:.6f}, {value.x:.6f}"
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        return "—" if value in (None, "") else value

    show.__name__ = f"{name}_shown"
    return show


def _with_labels(admin_class, labels: dict[str, object]):
    for name, label in labels.items():
        setattr(admin_class, f"{name}_shown", _labelled(name, label))
    return admin_class


def _shown(names, labels: dict[str, object]) -> tuple[str, ...]:
    return tuple(f"{name}_shown" if name in labels else name for name in names)


class CategoryListFilter(admin.RelatedFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("category")


EVENT_LABELS = {
    "kind": _("kind"), "from_status": _("from status"), "to_status": _("to status"), "outcome": _("outcome"),
    "actor_label": _("by"), "is_public": _("public"), "created_at": _("created at"),
}
REPORT_LABELS = {
    "category": _("category"), "local_government": _("local government"), "municipal_unit": _("municipal unit"),
    "submunicipal_unit": _("submunicipal unit"), "duplicate_of": _("duplicate of"), "reporter": _("reporter"),
    "api_client": _("API client"), "location": _("exact location"), "public_location": _("public location"),
    "acknowledged_at": _("acknowledged at"), "closed_at": _("closed at"),
}


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ("order", "code", "datatype", "description", "description_en", "required", "variable", "values")


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "group", "local_government", "is_sensitive", "sla_days", "is_active", "order")
    list_filter = ("is_active", "is_sensitive", "group")
    search_fields = ("code", "name", "name_en", "keywords")
    autocomplete_fields = ("local_government",)
    inlines = [QuestionInline]

    def save_model(self, request, obj, form, change) -> None:
        # Through the service: a change of sensitivity moves the public points of the reports.
        moved = category_save(category=obj)
        if moved:
            self.message_user(request, _("The public location of %(n)d report(s) was recomputed.") % {"n": moved}, messages.INFO)


class ReportEventInline(admin.TabularInline):
    model = ReportEvent
    extra = 0
    can_delete = False
    fields = _shown(("created_at", "kind", "from_status", "to_status", "outcome", "actor_label", "reason", "public_note", "is_public"), EVENT_LABELS)
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


def _change_status(modeladmin, request, queryset, to_status: str, outcome: str = "") -> None:
    changed, failed = 0, []
    for report in queryset:
        try:
            report_change_status(
                report=report, to_status=to_status, outcome=outcome, actor=request.user,
                actor_label=report.local_government.name,
            )
        except DomainError as exc:
            failed.append(f"#{report.pk}: {exc.message}")
        else:
            changed += 1
    if changed:
        modeladmin.message_user(request, _("%(n)d report(s) changed.") % {"n": changed}, messages.SUCCESS)
    for failure in failed:
        modeladmin.message_user(request, failure, messages.ERROR)


@admin.action(description=_("Acknowledge"))
def acknowledge(modeladmin, request, queryset):
    _change_status(modeladmin, request, queryset.select_related("local_government"), Status.ACKNOWLEDGED)


@admin.action(description=_("Mark in progress"))
def mark_in_progress(modeladmin, request, queryset):
    _change_status(modeladmin, request, queryset.select_related("local_government"), Status.IN_PROGRESS)


@admin.action(description=_("Close as resolved"))
def close_resolved(modeladmin, request, queryset):
    _change_status(modeladmin, request, queryset.select_related("local_government"), Status.CLOSED, Outcome.RESOLVED)


@admin.action(description=_("Close as already done"))
def close_already_done(modeladmin, request, queryset):
    _change_status(modeladmin, request, queryset.select_related("local_government"), Status.CLOSED, Outcome.ALREADY_DONE)


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("id", "category_shown", "status", "outcome", "local_government_shown", "created_at", "due_at", "is_sample", "is_hidden")
    list_filter = ("status", "outcome", "channel", "is_sample", "is_hidden", ("category", CategoryListFilter))
    search_fields = ("=id", "address", "description")
    date_hierarchy = "created_at"
    list_select_related = ("category", "local_government")
    actions = [acknowledge, mark_in_progress, close_resolved, close_already_done]
    inlines = [ReportEventInline]
    # The workflow fields change only through the actions above (the services keep the timeline).
    readonly_fields = _shown((
        "category", "status", "outcome", "duplicate_of", "local_government", "municipal_unit", "submunicipal_unit",
        "address", "location", "public_location", "answers", "reporter", "channel", "api_client", "confirmed_at",
        "support_count", "created_at", "updated_at", "acknowledged_at", "closed_at", "due_at", "is_sample",
    ), REPORT_LABELS)
    fields = readonly_fields[:11] + ADMIN_EDITABLE_FIELDS + readonly_fields[11:]

    def save_model(self, request, obj, form, change) -> None:
        # Through the service, so the audit trail keeps who changed what, and the original.
        report_edit(report=obj, actor=request.user, changes={name: form.cleaned_data[name] for name in form.changed_data})

    def has_add_permission(self, request) -> bool:
        # Reports are filed through report_create (the web form or the APIs), never here.
        return False


_with_labels(ReportEventInline, EVENT_LABELS)
_with_labels(ReportAdmin, REPORT_LABELS)
