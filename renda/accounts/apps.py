from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "renda.accounts"
    verbose_name = "账号与安全"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from renda.accounts.models import User
        from renda.org.models import Membership

        auditlog.register(User, exclude_fields=["password", "last_login"])
        auditlog.register(Membership)
