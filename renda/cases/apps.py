from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "renda.cases"
    verbose_name = "民情办理"

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.db.models.signals import post_delete, post_save

        from renda.cases.models import CaseSettings, Category, UrgencyTier
        from renda.lib.memo import forget_all

        # Intake remembers the congress of a region and the categories, and the inbox its
        # filters' choices, for a minute (renda.lib.memo): a change to one of them is seen at
        # once in this process.
        for model in (Category, UrgencyTier):  # Region, OrgUnit: OrgConfig.ready
            for signal in (post_save, post_delete):
                signal.connect(forget_all, sender=model, dispatch_uid=f"memo-{model.__name__}")

        # The dictionaries are edited in the admin site: the operation log keeps who changed
        # what. Cases themselves are written only by services, which append a CaseEvent.
        for model in (Category, UrgencyTier, CaseSettings):
            auditlog.register(model)
