from django.urls import path

from renda.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_inbox, name="inbox"),
    path("<str:code>/", views.case_detail, name="detail"),
    path("<str:code>/files/<int:pk>/", views.case_attachment, name="attachment"),
    path("<str:code>/act/<str:action>/", views.case_act, name="act"),
]
