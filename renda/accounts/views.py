from django.contrib.auth import views as auth_views

from renda.accounts.forms import LoginForm


class RendaLoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
