from django.contrib import admin

from renda.notifications.models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Read-only: messages are written by the notification service, read by their recipient."""

    list_display = ["title", "recipient", "kind", "case", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["title", "case__code", "recipient__username"]
    list_select_related = ["recipient", "case"]
    raw_id_fields = ["recipient", "case", "event"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
