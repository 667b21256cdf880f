from django.contrib import admin

from renda.deputies.models import Deputy, GridAssignment, Seat, Sector, StationMembership, Term


class SeatInline(admin.TabularInline):
    model = Seat
    extra = 0
    autocomplete_fields = ["term"]


class StationMembershipInline(admin.TabularInline):
    model = StationMembership
    extra = 0
    autocomplete_fields = ["station"]


class GridAssignmentInline(admin.TabularInline):
    model = GridAssignment
    extra = 0
    autocomplete_fields = ["grid"]


@admin.register(Deputy)
class DeputyAdmin(admin.ModelAdmin):
    list_display = ["name", "gender", "phone", "work_unit", "sector"]
    search_fields = ["name", "phone", "work_unit"]
    list_filter = ["gender", "sector"]
    autocomplete_fields = ["user"]
    inlines = [SeatInline, StationMembershipInline, GridAssignmentInline]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["__str__", "congress", "number", "start_date", "end_date"]
    search_fields = ["congress__name"]
    autocomplete_fields = ["congress"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "sort_order", "is_active"]
