from django.urls import path

from renda.suggestions import views

app_name = "suggestions"
urlpatterns = [
    path("", views.suggestion_list, name="list"),
    path("export/", views.suggestion_export, name="export"),
    path("new/", views.suggestion_file, name="file"),
    path("review/", views.review_list, name="review"),
    path("promises/", views.promise_list, name="promises"),
    path("promises/<int:pk>/keep/", views.promise_keep, name="promise_keep"),
    path("<str:code>/", views.suggestion_detail, name="detail"),
    path("<str:code>/cosign/", views.act_cosign, name="cosign"),
    path("<str:code>/review/", views.act_review, name="act_review"),
    path("<str:code>/assign/", views.act_assign, name="assign"),
    path("<str:code>/extend/", views.act_extend, name="extend"),
    path("<str:code>/co-view/", views.act_co_view, name="co_view"),
    path("<str:code>/sign/", views.act_sign, name="sign"),
    path("<str:code>/answer/", views.act_answer, name="answer"),
    path("<str:code>/rate/", views.act_rate, name="rate"),
    path("<str:code>/convert/", views.act_convert, name="convert"),
]
