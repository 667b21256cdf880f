from django.contrib import admin

from renda.workcal.models import CalendarDay


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name", "source", "updated_at"]
    list_filter = ["kind", "date"]
    search_fields = ["name"]
    date_hierarchy = "date"
