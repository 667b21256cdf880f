from django.contrib import admin

from renda.activities.models import ActivityKind, Campaign, CampaignDirection


@admin.register(ActivityKind)
class ActivityKindAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    search_fields = ["name", "code"]


class CampaignDirectionInline(admin.TabularInline):
    model = CampaignDirection
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "organiser", "start_date", "end_date", "is_active"]
    search_fields = ["name"]
    list_filter = ["is_active"]
    autocomplete_fields = ["organiser", "region"]
    inlines = [CampaignDirectionInline]
