from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "renda.portal"
    verbose_name = "群众门户"
