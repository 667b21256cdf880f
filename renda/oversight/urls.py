from django.urls import path

from renda.oversight import views

app_name = "oversight"
urlpatterns = [
    path("evaluations/", views.evaluation_list, name="evaluation_list"),
    path("evaluations/new/", views.evaluation_create, name="evaluation_create"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("evaluations/<int:pk>/open/", views.evaluation_open, name="evaluation_open"),
    path("evaluations/<int:pk>/close/", views.evaluation_close, name="evaluation_close"),
    path("evaluations/<int:pk>/export/", views.evaluation_export, name="evaluation_export"),
    path("mine/", views.my_sheets, name="my_sheets"),
    path("mine/<int:pk>/", views.sheet, name="sheet"),
]
