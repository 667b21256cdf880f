from django.contrib import admin

from renda.reports.models import MonthlyReport, ReportSettings


@admin.register(ReportSettings)
class ReportSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "title", "updated_at"]

    def has_add_permission(self, request) -> bool:
        return not ReportSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MonthlyReport)
class MonthlyReportAdmin(admin.ModelAdmin):
    # Reports are records: read them here, submit and correct them on the pages.
    list_display = ["unit", "month", "version", "submitted_by", "submitted_at", "is_late"]
    list_filter = ["month", "is_late"]
    readonly_fields = [f.name for f in MonthlyReport._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
