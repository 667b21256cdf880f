from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "renda.demo"
    verbose_name = "演示城市"
