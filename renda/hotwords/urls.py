from django.urls import path

from renda.hotwords import views

app_name = "hotwords"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
