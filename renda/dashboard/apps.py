from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "renda.dashboard"
    verbose_name = "领导驾驶舱"
