from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "renda.org"
    verbose_name = "组织机构"

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.db.models.signals import post_delete, post_save

        from renda.lib.memo import forget_all
        from renda.org import models

        for model in (models.Region, models.OrgUnit, models.Station, models.Grid):
            auditlog.register(model)
        # What is remembered of the trees (renda.lib.memo: a subtree's ids, a region's
        # congress) is forgotten in this process when a row of them changes.
        for model in (models.Region, models.OrgUnit, models.Station, models.Installation):
            for signal in (post_save, post_delete):
                signal.connect(forget_all, sender=model, dispatch_uid=f"memo-{model.__name__}")
