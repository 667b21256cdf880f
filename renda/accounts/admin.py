from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from renda.accounts.models import Lockout, LoginFailure, LoginLog, OperationLog, User
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


# The logs are evidence: nobody adds or edits them from the admin site.
for model in (AccessLog, AccessFailureLog, AccessAttempt, LogEntry):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class ReadOnlyLogAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LoginLog)
class LoginLogAdmin(ReadOnlyLogAdmin):
    list_display = ["attempt_time", "username", "ip_address", "user_agent", "logout_time"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "attempt_time"


@admin.register(LoginFailure)
class LoginFailureAdmin(ReadOnlyLogAdmin):
    list_display = ["attempt_time", "username", "ip_address", "user_agent", "locked_out"]
    search_fields = ["username", "ip_address"]
    list_filter = ["locked_out"]
    date_hierarchy = "attempt_time"


@admin.register(Lockout)
class LockoutAdmin(ReadOnlyLogAdmin):
    """Deleting a row here unlocks the account before its cool-off ends."""

    list_display = ["attempt_time", "username", "ip_address", "failures_since_start"]
    search_fields = ["username", "ip_address"]

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(OperationLog)
class OperationLogAdmin(ReadOnlyLogAdmin):
    list_display = ["timestamp", "actor", "action", "content_type", "object_repr", "remote_addr"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "actor__username", "actor__full_name"]
    date_hierarchy = "timestamp"
    list_select_related = ["actor", "content_type"]
    readonly_fields = ["changes"]
