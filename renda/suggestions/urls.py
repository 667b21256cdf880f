from django.urls import path

from renda.suggestions import rates_views, views

app_name = "suggestions"
urlpatterns = [
    path("", views.suggestion_list, name="list"),
    path("export/", views.suggestion_export, name="export"),
    path("new/", views.suggestion_file, name="file"),
    path("review/", views.review_list, name="review"),
    path("sessions/", views.session_list, name="sessions"),
    path("sessions/<int:pk>/close/", views.session_close, name="session_close"),
    path("promises/", views.promise_list, name="promises"),
    path("rates/", rates_views.rates_page, name="rates"),
    path("rates/export/", rates_views.rates_export, name="rates_export"),
    path("rates/list/", rates_views.rates_list, name="rates_list"),
    path("promises/<int:pk>/keep/", views.promise_keep, name="promise_keep"),
    path("<str:code>/", views.suggestion_detail, name="detail"),
    path("<str:code>/<slug:step>/", views.suggestion_act, name="act"),
]
