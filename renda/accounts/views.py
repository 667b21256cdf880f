from django.contrib.auth import views as auth_views
from django.shortcuts import render

from renda.accounts.forms import LoginForm


class RendaLoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def csrf_failure(request, reason: str = ""):
    """A Chinese page instead of Django's English CSRF failure page."""
    return render(request, "registration/csrf_failure.html", status=403)
