from django.contrib import admin

from renda.reviews.models import ProblemItem, ReviewOpinion


class ProblemItemInline(admin.TabularInline):
    model = ProblemItem
    extra = 0
    fields = ["number", "category", "text", "unit", "working_days", "case"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReviewOpinion)
class ReviewOpinionAdmin(admin.ModelAdmin):
    list_display = ["title", "congress", "meeting_date", "status"]
    list_filter = ["status"]
    search_fields = ["title", "subject"]
    readonly_fields = ["congress", "status", "created_by", "issued_by", "issued_at"]
    inlines = [ProblemItemInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
