import threading

from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_save

# Cases saved by this thread and not yet indexed. Each new case schedules a flush after its
# transaction commits; the first flush indexes every case its transaction created (so a bulk
# load is indexed in batches), the later ones find nothing left. Cases of a transaction that
# rolled back are looked up at the next flush, not found, and dropped.
_pending = threading.local()


def _flush() -> None:
    from renda.triage.duplicates import duplicate_index_add_committed

    ids = getattr(_pending, "ids", None)
    if ids:
        _pending.ids = set()
        duplicate_index_add_committed(ids)


def _index_new_case(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    """A new case joins the duplicate index once its submission commits. renda.cases does not
    know about triage: it only saves the case; this app listens."""
    if not created or raw:
        return
    if getattr(_pending, "ids", None) is None:
        _pending.ids = set()
    _pending.ids.add(instance.pk)
    transaction.on_commit(_flush)


class TriageConfig(AppConfig):
    name = "renda.triage"
    verbose_name = "智能分办"

    def ready(self) -> None:
        from renda.cases.models import Case

        post_save.connect(_index_new_case, sender=Case, dispatch_uid="triage_index_new_case")
