from django.urls import path

from renda.reviews import views

app_name = "reviews"
urlpatterns = [
    path("", views.opinion_list, name="list"),
    path("new/", views.opinion_create, name="create"),
    path("<int:pk>/", views.opinion_detail, name="detail"),
    path("<int:pk>/edit/", views.opinion_edit, name="edit"),
    path("<int:pk>/issue/", views.opinion_issue, name="issue"),
    path("<int:pk>/export/", views.opinion_export, name="export"),
]
