from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "renda.cases"
    verbose_name = "民情办理"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from renda.cases.models import CaseSettings, Category, UrgencyTier

        # The dictionaries are edited in the admin site: the operation log keeps who changed
        # what. Cases themselves are written only by services, which append a CaseEvent.
        for model in (Category, UrgencyTier, CaseSettings):
            auditlog.register(model)
