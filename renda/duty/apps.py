from django.apps import AppConfig, apps
from django.db.models.signals import post_save

# The saves that can move points. A case changes through services that append a CaseEvent for
# every step (and update the case itself with a queryset update, which sends no signal), so
# the event is what we hear; an activity's or a duty day's change reaches its attendance and
# rota. `renda.duty.services.records_touched` says which records each save touches.
WATCHED = (
    "cases.CaseEvent",
    "activities.Activity",
    "activities.Attendance",
    "activities.DutyDay",
    "activities.DutyDayDeputy",
)


def _on_save(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: rebuild the ledger with recompute_points afterwards
        return
    from renda.duty.tasks import points_sync_record
    from renda.lib.tasks import enqueue_with_transaction

    enqueue_with_transaction(points_sync_record, sender._meta.label, instance.pk)


class DutyConfig(AppConfig):
    name = "renda.duty"
    verbose_name = "履职积分"

    def ready(self) -> None:
        for label in WATCHED:
            try:
                sender = apps.get_model(label)
            except LookupError:
                continue  # the app that owns it is not installed
            post_save.connect(
                _on_save, sender=sender, weak=False, dispatch_uid=f"duty-points-{label}"
            )
