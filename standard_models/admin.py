from django.contrib import admin

from standard_models.models import AdoptedCategory, Adoption, ModelVersion, StandardModel


class ModelVersionInline(admin.TabularInline):
    model = ModelVersion
    fields = ("number", "published_at", "created_by", "created_by_key", "created_at")
    readonly_fields = fields  # versions are written by standard_models.services only
    extra = 0
    can_delete = False


@admin.register(StandardModel)
class StandardModelAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "theme", "origin_government", "status", "is_example")
    list_filter = ("status", "theme", "is_example")
    search_fields = ("title", "slug")
    readonly_fields = ("slug", "origin_government", "created_by", "approved_by", "created_at")
    inlines = [ModelVersionInline]


class AdoptedCategoryInline(admin.TabularInline):
    model = AdoptedCategory
    readonly_fields = ("category", "model_code", "department")
    extra = 0
    can_delete = False


@admin.register(Adoption)
class AdoptionAdmin(admin.ModelAdmin):
    list_display = ("model", "version", "government", "starts_on", "created_at")
    readonly_fields = ("model", "version", "government", "campaign", "starts_on", "template", "changes", "history", "created_by", "created_by_key", "created_at")
    inlines = [AdoptedCategoryInline]
