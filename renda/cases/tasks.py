"""The cases app's background work, handed to the task queue by the services."""

import logging

from django_tasks import task

from renda.cases.models import Case
from renda.cases.signals import case_changed

logger = logging.getLogger("renda.cases")


@task()
def case_follow_up(case_id: int, event_id: int, action: str) -> None:
    """Everything a case change sets off, once it has committed: the parties are told (the
    message box, email and SMS of `renda.notifications`, which logs its own failures), then
    the apps listening to `case_changed` do their part. Queued in the change's transaction,
    one task per event, so nothing happens for a change that was rolled back."""
    # Imported here: notifications builds on cases, not the other way round.
    from renda.notifications.services import notify_case_change

    logger.info("case %s: %s", case_id, action)
    notify_case_change(case_id, action)
    for receiver, error in case_changed.send_robust(
        sender=Case, case_id=case_id, event_id=event_id, action=action
    ):
        if isinstance(error, Exception):
            logger.error("case %s: %s failed after %s", case_id, receiver, action, exc_info=error)
