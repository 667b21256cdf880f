from django.apps import AppConfig


class Open311Config(AppConfig):
    name = "renda.open311"
    verbose_name = "Open311 接口"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from renda.lib.memo import forget_all
        from renda.open311.models import Client

        # A client is remembered by its key for a minute (renda.lib.memo): a change to one
        # (deactivated, key rotated) is seen at once in this process, within a minute in others.
        for signal in (post_save, post_delete):
            signal.connect(forget_all, sender=Client, dispatch_uid="memo-open311-client")
