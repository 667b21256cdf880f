from django.apps import AppConfig


class DutyConfig(AppConfig):
    name = "renda.duty"
    verbose_name = "履职积分"
