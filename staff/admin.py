from django.contrib import admin

from staff.models import Department, ReportAssignment, StaffRole


@admin.register(StaffRole)
class StaffRoleAdmin(admin.ModelAdmin):
    """Administrators grant staff, moderator and expert roles per local government here."""

    list_display = ["user", "local_government", "role", "department", "notify"]
    list_filter = ["role", "notify"]
    search_fields = ["user__username", "user__email", "local_government__name", "local_government__code"]
    autocomplete_fields = ["user"]
    raw_id_fields = ["local_government", "department"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "local_government"]
    search_fields = ["name", "local_government__name", "local_government__code"]
    raw_id_fields = ["local_government"]


@admin.register(ReportAssignment)
class ReportAssignmentAdmin(admin.ModelAdmin):
    list_display = ["report", "department", "officer", "assigned_at"]
    raw_id_fields = ["report", "department", "officer", "assigned_by"]
