from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "renda.dashboard"
    verbose_name = "领导驾驶舱"

    def ready(self) -> None:
        # renda.cases must not know about the dashboard (import-linter): its counters follow
        # the cases through the signals connected here (renda.dashboard.counters).
        from django.db.models.signals import post_migrate, pre_delete

        from renda.cases.models import Case
        from renda.cases.signals import case_changed
        from renda.dashboard import counters

        case_changed.connect(counters.on_case_changed, dispatch_uid="dashboard_case_changed")
        pre_delete.connect(
            counters.on_case_deleting, sender=Case, dispatch_uid="dashboard_case_deleting"
        )
        post_migrate.connect(counters.on_migrated, sender=self, dispatch_uid="dashboard_migrated")
