from django.apps import AppConfig


class HotwordsConfig(AppConfig):
    name = "renda.hotwords"
    verbose_name = "民意热点"
