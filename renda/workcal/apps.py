from django.apps import AppConfig


class WorkcalConfig(AppConfig):
    name = "renda.workcal"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from renda.workcal.models import CalendarDay

        auditlog.register(CalendarDay)
