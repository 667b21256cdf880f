from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_save


def _index_new_case(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    """A new case joins the duplicate index once its submission commits. renda.cases does not
    know about triage: it only saves the case; this app listens."""
    if not created or raw:
        return
    from renda.triage.duplicates import duplicate_index_add_by_id

    case_id = instance.pk
    transaction.on_commit(lambda: duplicate_index_add_by_id(case_id))


class TriageConfig(AppConfig):
    name = "renda.triage"
    verbose_name = "智能分办"

    def ready(self) -> None:
        from renda.cases.models import Case

        post_save.connect(_index_new_case, sender=Case, dispatch_uid="triage_index_new_case")
