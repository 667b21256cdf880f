"""Points are looked at here, not edited: a rule changed in the admin site would skip the
recomputation and the negative-total check, so rules are changed on /duty/rules/ (through
`services.rule_save`), and the ledger only ever changes through the services."""

from django.contrib import admin

from renda.duty.models import Nomination, PointEntry, PointRule, PointRuleChange


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PointRule)
class PointRuleAdmin(ReadOnlyAdmin):
    list_display = ["name", "source", "attendance_status", "activity_kind", "case_kind", "points"]
    list_filter = ["source"]
    search_fields = ["name"]


@admin.register(PointRuleChange)
class PointRuleChangeAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "rule", "actor", "entries_created", "entries_ended"]
    list_select_related = ["rule", "actor"]


@admin.register(PointEntry)
class PointEntryAdmin(ReadOnlyAdmin):
    list_display = ["date", "deputy", "reason", "status", "created_at"]
    list_filter = ["status", "source"]
    list_select_related = ["deputy"]
    search_fields = ["deputy__name", "reason"]
    raw_id_fields = ["deputy", "rule", "replaced_by"]


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdmin):
    list_display = ["year", "honour", "congress", "rank", "deputy", "status", "decided_by"]
    list_filter = ["honour", "status", "year"]
    list_select_related = ["congress", "deputy", "decided_by"]
