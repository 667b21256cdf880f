from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "renda.activities"
    verbose_name = "履职活动"
