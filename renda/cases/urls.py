from django.urls import path

from renda.cases import views
from renda.cases.rates_views import rates_cases, rates_export, rates_page

app_name = "cases"
urlpatterns = [
    path("", views.case_inbox, name="inbox"),
    # Before "<str:code>/", which would take "rates" for a case code.
    path("rates/", rates_page, name="rates"),
    path("rates/export/", rates_export, name="rates_export"),
    path("rates/cases/", rates_cases, name="rates_cases"),
    path("<str:code>/", views.case_detail, name="detail"),
    path("<str:code>/files/<int:pk>/", views.case_attachment, name="attachment"),
    path("<str:code>/act/<str:action>/", views.case_act, name="act"),
]
