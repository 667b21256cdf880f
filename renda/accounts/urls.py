from django.contrib.auth import views as auth_views
from django.urls import path

from renda.accounts import views

urlpatterns = [
    path("login/", views.RendaLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html", success_url="/"
        ),
        name="password_change",
    ),
]
