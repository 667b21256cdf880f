from django.urls import path

from renda.activities import lists_views, station_views, views

app_name = "activities"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new/", views.activity_create, name="create"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/edit/", views.activity_edit, name="edit"),
    path("<int:pk>/cancel/", views.activity_cancel, name="cancel"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/raise/", views.raise_case, name="raise"),
    path("<int:pk>/photos/<int:photo_pk>/", views.photo, name="photo"),
    path("for-case/<str:code>/", views.for_case, name="for_case"),
    path("campaigns/", station_views.campaign_list, name="campaigns"),
    path("campaigns/new/", station_views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", station_views.campaign_detail, name="campaign_detail"),
    path("calendar/", station_views.calendar_home, name="calendar_home"),
    path("calendar/<int:pk>/", station_views.station_calendar, name="calendar"),
    path("schedules/new/", station_views.schedule_create, name="schedule_create"),
    path("schedules/<int:pk>/generate/", station_views.schedule_generate, name="schedule_generate"),
    path("duty-days/<int:pk>/hold/", station_views.duty_day_hold, name="duty_day_hold"),
    path("visits/", station_views.visit_list, name="visits"),
    path("visits/new/", station_views.visit_create, name="visit_create"),
    path("lists/", lists_views.four_lists, name="four_lists"),
    path("lists/export/", lists_views.four_lists_export, name="four_lists_export"),
]
