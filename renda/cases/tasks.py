"""The cases app's background work, handed to the task queue by the services."""

import logging

from django_tasks import task

logger = logging.getLogger("renda.cases")


@task()
def case_notify(case_id: int, action: str) -> None:
    """Tell the parties that a case reached them or changed: the message box, email and SMS of
    `renda.notifications`, which logs its own failures and never raises. Queued in the
    transaction of the change, so nobody hears about a change that was rolled back."""
    # Imported here: notifications builds on cases, not the other way round.
    from renda.notifications.services import notify_case_change

    logger.info("case %s: %s", case_id, action)
    notify_case_change(case_id, action)
