from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "renda.org"
    verbose_name = "组织机构"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from renda.org import models

        for model in (models.Region, models.OrgUnit, models.Station, models.Grid):
            auditlog.register(model)
