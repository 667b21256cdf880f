"""Sessions are kept here too; suggestions are only looked at (every change goes through a
service, which checks the case's version and appends its event)."""

from django.contrib import admin

from renda.suggestions.models import CongressSession, Suggestion


@admin.register(CongressSession)
class CongressSessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "opens_on", "closes_on", "status"]
    list_filter = ["status"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # suggestions point at it


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["case", "kind", "congress", "year", "number", "review"]
    list_filter = ["kind", "review"]
    search_fields = ["case__code", "case__title"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
