from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from staff.models import Department, ReplyTemplate, ReportAssignment, StaffInvitation, StaffRole


class GovernmentAdminMixin:
    """The government is found by typing its KOSTAT code or name (geodata.admin.AreaAdmin's search)."""

    @admin.display(description=_("local government"), ordering="local_government__code")
    def government(self, obj) -> str:
        return f"{obj.local_government.name} ({obj.local_government.code})"


@admin.register(StaffRole)
class StaffRoleAdmin(GovernmentAdminMixin, admin.ModelAdmin):
    """Superusers may grant any role here; daily work is done on /staff/team/ by each government's administrators."""

    list_display = ["user", "government", "role", "department", "notify"]
    list_filter = ["role", "notify"]
    search_fields = ["user__username", "user__email", "local_government__name", "local_government__code"]
    autocomplete_fields = ["user", "local_government", "department"]
    list_select_related = ["user", "local_government", "department"]


@admin.register(Department)
class DepartmentAdmin(GovernmentAdminMixin, admin.ModelAdmin):
    list_display = ["name", "government"]
    search_fields = ["name", "local_government__name", "local_government__code"]
    autocomplete_fields = ["local_government"]
    list_select_related = ["local_government"]


@admin.register(ReportAssignment)
class ReportAssignmentAdmin(admin.ModelAdmin):
    list_display = ["report", "department", "officer", "assigned_at"]
    raw_id_fields = ["report"]
    autocomplete_fields = ["department", "officer", "assigned_by"]


@admin.register(StaffInvitation)
class StaffInvitationAdmin(GovernmentAdminMixin, admin.ModelAdmin):
    list_display = ["email", "government", "role", "created_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email", "local_government__name", "local_government__code"]
    autocomplete_fields = ["local_government"]
    readonly_fields = ["local_government", "email", "role", "invited_by", "created_at", "accepted_at", "accepted_by"]

    def has_add_permission(self, request) -> bool:
        return False  # invitations are sent from /staff/team/ or /staff/administrators/, which email the link


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(GovernmentAdminMixin, admin.ModelAdmin):
    list_display = ["title", "government"]
    search_fields = ["title", "text", "local_government__name", "local_government__code"]
    autocomplete_fields = ["local_government"]
