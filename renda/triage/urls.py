from django.urls import path

from renda.triage import views

app_name = "triage"
urlpatterns = [
    # Before "<str:code>/", which would take "reply-check" for a case code.
    path("reply-check/", views.reply_check_view, name="reply_check"),
    path("<str:code>/", views.triage_page, name="page"),
    path("<str:code>/accept/", views.triage_accept, name="accept"),
    path("<str:code>/assign/", views.triage_assign, name="assign"),
    path("<str:code>/merge/", views.triage_merge, name="merge"),
]
