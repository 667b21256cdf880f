from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "renda.accounts"
    verbose_name = "账号与安全"

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.contrib.auth.signals import user_logged_in

        from renda.accounts.middleware import stamp_on_login
        from renda.accounts.models import User
        from renda.org.models import Membership

        auditlog.register(User, exclude_fields=["password", "last_login"])
        auditlog.register(Membership)
        user_logged_in.connect(stamp_on_login, dispatch_uid="renda-session-stamp")
