from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "renda.reports"
    verbose_name = "月报"
