"""Admin: superusers register organisations; campaigns and entries are read here and worked on
through the campaign pages (campaigns.services computes areas and units, and keeps the audit trail)."""

from __future__ import annotations

from django.contrib import admin

from campaigns.models import Campaign, CampaignMember, Entry, EntryEvent, Organisation


class SuperuserOnly:
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


@admin.register(Organisation)
class OrganisationAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ("name", "slug", "created_at")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


class ReadOnly(SuperuserOnly):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MemberInline(ReadOnly, admin.TabularInline):
    model = CampaignMember
    fields = ("user", "role", "team")
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("title", "slug", "theme", "starts_at", "ends_at", "coverage_unit", "is_example")
    list_filter = ("theme", "is_example")
    search_fields = ("title", "slug")
    exclude = ("area", "drawn_area")
    inlines = [MemberInline]


class EventInline(ReadOnly, admin.TabularInline):
    model = EntryEvent
    fields = ("action", "actor", "reason", "created_at")
    extra = 0


@admin.register(Entry)
class EntryAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("id", "campaign", "entry_type", "status", "is_hidden", "created_at")
    list_filter = ("status", "is_hidden")
    search_fields = ("campaign__slug",)
    exclude = ("location",)
    inlines = [EventInline]
