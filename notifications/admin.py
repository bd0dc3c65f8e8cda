from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notifications.models import OutboundMessage
from notifications.outbox import messages_retry_dead


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "status", "subject", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["subject", "message_id"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in OutboundMessage._meta.fields]
    actions = ["retry_dead"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Retry the selected dead messages"))
    def retry_dead(self, request, queryset):
        count = messages_retry_dead(ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, ngettext("%(count)d message queued again.", "%(count)d messages queued again.", count) % {"count": count}, messages.SUCCESS)
