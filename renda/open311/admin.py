"""Open311 clients. A new client's API key is shown once, in the message after saving: only
its digest is stored. Requests filed by clients are only looked at."""

from django.contrib import admin, messages

from renda.open311.models import Client, ClientRequest
from renda.open311.services import client_create, client_rotate_key


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "key_prefix", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    autocomplete_fields = ["region"]
    fields = ["name", "region", "is_active", "key_prefix", "created_at"]
    readonly_fields = ["key_prefix", "created_at"]
    actions = ["rotate_keys"]

    def save_model(self, request, obj, form, change) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        client, api_key = client_create(name=obj.name, region=obj.region)
        obj.pk, obj.key_digest, obj.key_prefix = client.pk, client.key_digest, client.key_prefix
        if not obj.is_active:
            Client.objects.filter(pk=client.pk).update(is_active=False)
        self.message_user(
            request, f"客户端“{client.name}”的 API 密钥（仅显示这一次，请妥善保存）：{api_key}"
        )

    @admin.action(description="重新生成所选客户端的 API 密钥")
    def rotate_keys(self, request, queryset) -> None:
        for client in queryset:
            api_key = client_rotate_key(client=client)
            self.message_user(
                request,
                f"客户端“{client.name}”的新 API 密钥（仅显示这一次）：{api_key}",
                messages.WARNING,
            )

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # cases point at it: deactivate instead


@admin.register(ClientRequest)
class ClientRequestAdmin(admin.ModelAdmin):
    list_display = ["case", "client", "created_at"]
    list_filter = ["client"]
    list_select_related = ["case", "client"]
    search_fields = ["case__code"]
    readonly_fields = ["case", "client", "email", "media_url", "address_id", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
