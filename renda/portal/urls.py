from django.urls import path

from renda.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("submit/", views.submit, name="submit"),
    path("places/", views.places, name="places"),
    path("submitted/<str:code>/", views.submitted, name="submitted"),
    path("track/", views.track, name="track"),
    path("track/<str:code>/", views.case_status, name="case"),
    path("track/<str:code>/rate/", views.rate, name="rate"),
    path("files/<str:code>/<int:pk>/", views.attachment, name="attachment"),
    path("mine/", views.mine, name="mine"),
    path("public/", views.public, name="public"),
    path("collect/", views.collect, name="collect"),
    path("collected/", views.collected, name="collected"),
]
