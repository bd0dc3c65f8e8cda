"""Areas in the admin: read-only, searchable by KOSTAT code and name, so every form that picks a
local government (roles, departments, categories) finds one by typing 11010 or 종로구."""

from django.contrib import admin

from geodata.models import Area


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    # Fields without a translated label (parent, vintage) stay out of the Korean admin.
    list_display = ["code", "name", "name_en", "level", "is_local_government"]
    list_filter = ["level", "is_local_government"]
    search_fields = ["code", "name", "name_en"]
    ordering = ["code"]
    fields = ["code", "name", "name_en", "level", "is_local_government"]
    readonly_fields = fields

    def get_search_results(self, request, queryset, search_term):
        # Pickers offer only the governments reports are routed to today, not past vintages or 읍면동.
        if request.GET.get("field_name"):
            queryset = queryset.model.objects.local_governments().current()
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term.strip())
        return queryset, may_have_duplicates

    def has_add_permission(self, request) -> bool:
        return False  # boundaries come from import_boundaries

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

