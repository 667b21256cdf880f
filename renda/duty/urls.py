from django.urls import path

from renda.duty import views

app_name = "duty"
urlpatterns = [
    path("", views.ranking, name="ranking"),
    path("ranking/export/", views.ranking_export, name="ranking_export"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/new/", views.rule_edit, name="rule_create"),
    path("rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("deputies/<int:pk>/", views.deputy_ledger, name="ledger"),
    path("deputies/<int:pk>/sheet.<str:fmt>", views.deputy_sheet, name="sheet"),
    path("nominations/", views.nomination_list, name="nominations"),
    path("nominations/<int:pk>/decide/", views.nomination_decide, name="nomination_decide"),
]
