from django.urls import path

from renda.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.dashboard, name="home"),
    path("cases/", views.measure_cases, name="cases"),
]
