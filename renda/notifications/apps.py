from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "renda.notifications"
    verbose_name = "消息通知"

    def ready(self) -> None:
        from django.core import checks

        from renda.notifications.sms import check_sms_backend

        checks.register(check_sms_backend)
