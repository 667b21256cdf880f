from django.apps import AppConfig
from django.db.models.signals import post_save


def _index_new_case(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    """A new case joins the duplicate index through a task queued with its submission.
    renda.cases does not know about triage: it only saves the case; this app listens."""
    if not created or raw:
        return
    from renda.lib.tasks import enqueue_with_transaction
    from renda.triage.tasks import duplicate_index_cases

    enqueue_with_transaction(duplicate_index_cases, [instance.pk])


class TriageConfig(AppConfig):
    name = "renda.triage"
    verbose_name = "智能分办"

    def ready(self) -> None:
        from renda.cases.models import Case

        post_save.connect(_index_new_case, sender=Case, dispatch_uid="triage_index_new_case")
