from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from renda.accounts.models import User
from renda.org.models import Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["unit", "station"]


@admin.register(User)
class RendaUserAdmin(UserAdmin):
    list_display = ["username", "full_name", "phone", "is_active", "is_superuser", "last_login"]
    search_fields = ["username", "full_name", "phone"]
    fieldsets = (
        *UserAdmin.fieldsets,
        ("联系方式", {"fields": ("full_name", "phone")}),
    )
    inlines = [MembershipInline]
