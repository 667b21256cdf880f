"""The dictionaries are edited here; cases and their events are only looked at. Every change to
a case goes through a service so that it checks the version and appends an event."""

from django.contrib import admin

from renda.cases.models import Assignment, Case, CaseEvent, CaseSettings, Category, UrgencyTier


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    search_fields = ["name"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # cases point at it: deactivate instead


@admin.register(UrgencyTier)
class UrgencyTierAdmin(admin.ModelAdmin):
    list_display = ["name", "working_days", "sort_order"]
    list_editable = ["working_days", "sort_order"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CaseSettings)
class CaseSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "rating_days", "max_extension_days", "updated_at"]

    def has_add_permission(self, request) -> bool:
        return not CaseSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class AssignmentInline(ReadOnlyInline):
    model = Assignment
    fields = ["unit", "role", "state", "round", "deadline", "assigned_at", "signed_at"]


class CaseEventInline(ReadOnlyInline):
    model = CaseEvent
    fields = ["created_at", "actor", "action", "from_state", "to_state", "note"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "state", "congress", "region", "deadline", "supervision"]
    list_filter = ["state", "kind", "channel", "supervision", "category"]
    search_fields = ["code", "title"]
    list_select_related = ["congress", "region"]
    date_hierarchy = "created_at"
    inlines = [AssignmentInline, CaseEventInline]


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "case", "action", "from_state", "to_state", "actor"]
    list_filter = ["action"]
    search_fields = ["case__code"]
    list_select_related = ["case", "actor"]
