from django.apps import AppConfig, apps
from django.db.models.signals import post_save

# The saves that can move points. A case changes through services that append a CaseEvent for
# every step; the cases app says so with `case_changed` from its worker task, once the change
# has committed. An activity's or a duty day's change reaches its attendance and rota through
# these models' saves. `renda.duty.services.records_touched` says which records each touches.
WATCHED = (
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


def _on_case_changed(sender, *, event_id: int, **kwargs) -> None:
    # Already in the worker, after the commit: the sync runs here, not queued again.
    from renda.duty.services import points_sync_after_commit

    points_sync_after_commit("cases.CaseEvent", event_id)


class DutyConfig(AppConfig):
    name = "renda.duty"
    verbose_name = "履职积分"

    def ready(self) -> None:
        from renda.cases.signals import case_changed

        case_changed.connect(_on_case_changed, dispatch_uid="duty-points-case-changed")
        for label in WATCHED:
            try:
                sender = apps.get_model(label)
            except LookupError:
                continue  # the app that owns it is not installed
            post_save.connect(
                _on_save, sender=sender, weak=False, dispatch_uid=f"duty-points-{label}"
            )
