from django.apps import AppConfig


def _index_new_case(sender, *, case_id: int, action: str, **kwargs) -> None:
    """A submitted case joins the duplicate index in the worker, once its submission has
    committed. renda.cases does not know about triage: this app listens."""
    if action != "submit":
        return
    from renda.triage.duplicates import duplicate_index_add_committed

    duplicate_index_add_committed(case_id)


class TriageConfig(AppConfig):
    name = "renda.triage"
    verbose_name = "智能分办"

    def ready(self) -> None:
        from renda.cases.signals import case_changed

        case_changed.connect(_index_new_case, dispatch_uid="triage_index_new_case")
