from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "renda.triage"
    verbose_name = "智能分办"
