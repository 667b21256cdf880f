from django.apps import AppConfig, apps
from django.db import transaction
from django.db.models.signals import post_save

# The records whose changes move points: (the model whose saves we hear, the model the points
# are earned by, how to get that record's id from the saved instance). A case changes through
# services that append a CaseEvent for every step (and update the case with a queryset
# update, which sends no signal), so the event is what we listen to.
WATCHED = (("cases.CaseEvent", "cases.Case", "case_id"),)


def _handler(model_label: str, id_attr: str):
    def on_save(sender, instance, raw=False, **kwargs):
        if raw:  # loaddata: the ledger is rebuilt with recompute_points
            return
        from renda.duty.services import points_sync_after_commit

        object_id = getattr(instance, id_attr)
        transaction.on_commit(lambda: points_sync_after_commit(model_label, [object_id]))

    return on_save


class DutyConfig(AppConfig):
    name = "renda.duty"
    verbose_name = "履职积分"

    def ready(self) -> None:
        for sender_label, model_label, id_attr in WATCHED:
            try:
                sender = apps.get_model(sender_label)
            except LookupError:
                continue  # the app that owns it is not installed or has no such model yet
            post_save.connect(
                _handler(model_label, id_attr),
                sender=sender,
                weak=False,
                dispatch_uid=f"duty-points-{sender_label}",
            )
