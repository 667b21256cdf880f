from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "人大履职服务平台 · 系统管理"
admin.site.site_title = "系统管理"
admin.site.index_title = "基础数据维护"

urlpatterns = [
    path("", include("renda.workbench.urls")),
    path("accounts/", include("renda.accounts.urls")),
    path("p/", include("renda.portal.urls")),
    path("open311/", include("renda.open311.urls")),
    path("org/", include("renda.org.urls")),
    path("deputies/", include("renda.deputies.urls")),
    path("cases/", include("renda.cases.urls")),
    path("calendar/", include("renda.workcal.urls")),
    path("messages/", include("renda.notifications.urls")),
    path("triage/", include("renda.triage.urls")),
    path("hot/", include("renda.hotwords.urls")),
    path("activities/", include("renda.activities.urls")),
    path("duty/", include("renda.duty.urls")),
    path("me/", include("renda.duty.me_urls")),
    path("suggestions/", include("renda.suggestions.urls")),
    path("oversight/", include("renda.oversight.urls")),
    path("reviews/", include("renda.reviews.urls")),
    path("reports/", include("renda.reports.urls")),
    path("dashboard/", include("renda.dashboard.urls")),
    path("admin/", admin.site.urls),
]
