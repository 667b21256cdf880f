from django.apps import AppConfig


class HotwordsConfig(AppConfig):
    name = "renda.hotwords"
    verbose_name = "民意热点"

    def ready(self) -> None:
        # renda.cases must not know about hot words (import-linter), so the terms follow the
        # cases through signals connected from here.
        from django.db.models.signals import post_save, pre_delete

        from renda.cases.models import Case
        from renda.cases.signals import case_changed
        from renda.hotwords import signals

        post_save.connect(signals.case_saved, sender=Case, dispatch_uid="hotwords_case_saved")
        case_changed.connect(signals.case_changed, dispatch_uid="hotwords_case_changed")
        pre_delete.connect(
            signals.case_deleting, sender=Case, dispatch_uid="hotwords_case_deleting"
        )
