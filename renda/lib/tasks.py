"""Handing work to the task queue from inside a service's transaction.

With the database queue the task's row is written in the caller's transaction, so it commits
(or rolls back) together with the data it is about and the request pays one insert for it.
Any other backend runs or sends the task at once, so there the call waits for the commit: a
task must never see, or act on, a write that may still roll back.
"""

from typing import Any

from django.db import transaction
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend


def enqueue_with_transaction(task: Task, *args: Any, **kwargs: Any) -> None:
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(*args, **kwargs))
