from django.contrib import admin

from moderation.models import AccountBlock, Flag, ModerationAction


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ["content_type", "object_id", "reason", "flagged_by", "government", "created_at"]
    list_filter = ["reason"]
    raw_id_fields = ["flagged_by", "government"]


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    list_display = ["action", "content_type", "object_id", "government", "actor", "author", "created_at"]
    list_filter = ["action"]
    raw_id_fields = ["actor", "author", "government"]

    def has_change_permission(self, request, obj=None):
        return False  # the audit trail is never edited

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccountBlock)
class AccountBlockAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "ends_at", "lifted_at"]
    raw_id_fields = ["user", "lifted_by"]
