from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from renda.org.models import Grid, Installation, Membership, OrgUnit, Region, Station


@admin.register(Region)
class RegionAdmin(TreeAdmin):
    form = movenodeform_factory(Region)
    list_display = ["name", "code", "level"]
    search_fields = ["name", "code"]
    list_filter = ["level"]


@admin.register(OrgUnit)
class OrgUnitAdmin(TreeAdmin):
    form = movenodeform_factory(OrgUnit)
    list_display = ["name", "code", "kind", "handling_kind", "region", "is_active"]
    search_fields = ["name", "code"]
    list_filter = ["kind", "handling_kind", "is_active"]
    autocomplete_fields = ["region"]


@admin.register(Station)
class StationAdmin(TreeAdmin):
    form = movenodeform_factory(Station)
    list_display = ["name", "code", "kind", "specialty", "region", "is_active"]
    search_fields = ["name", "code"]
    list_filter = ["kind", "specialty", "is_active"]
    autocomplete_fields = ["region", "serves_region", "congress"]


@admin.register(Grid)
class GridAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region", "is_active"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["region"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit", "station", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__username", "user__full_name", "unit__name", "station__name"]
    autocomplete_fields = ["user", "unit", "station"]


@admin.register(Installation)
class InstallationAdmin(admin.ModelAdmin):
    list_display = ["name", "is_demo", "demo_size", "demo_seed", "updated_at"]
