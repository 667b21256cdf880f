"""A deputy's own pages at /me/."""

from django.urls import path

from renda.duty import me_views

app_name = "me"
urlpatterns = [
    path("", me_views.home, name="home"),
    path("points/", me_views.points, name="points"),
    path("activities/", me_views.activities, name="activities"),
    path("cases/", me_views.cases, name="cases"),
    path("duty-days/", me_views.duty_days, name="duty_days"),
    path("sheet.<str:fmt>", me_views.sheet, name="sheet"),
]
