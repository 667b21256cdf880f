from django.apps import AppConfig


class DeputiesConfig(AppConfig):
    name = "renda.deputies"
    verbose_name = "人大代表"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from renda.deputies import models

        for model in (
            models.Deputy,
            models.Term,
            models.Seat,
            models.StationMembership,
            models.GridAssignment,
            models.Sector,
        ):
            auditlog.register(model)
