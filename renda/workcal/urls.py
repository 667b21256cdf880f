from django.urls import path

from renda.workcal import views

app_name = "workcal"
urlpatterns = [path("", views.year, name="year")]
