"""Handing work to the task queue from inside a service's transaction.

With the database queue the task's row is written in the caller's transaction, so it commits
(or rolls back) together with the data it is about and the request pays one insert for it.
Any other backend runs or sends the task at once, so there the call waits for the commit: a
task must never see, or act on, a write that may still roll back.
"""

import functools
from typing import Any

from django.db import transaction
from django.db.models.signals import pre_save
from django_tasks.base import Task
from django_tasks.utils import normalize_json
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult


def enqueue_with_transaction(task: Task, *args: Any, **kwargs: Any) -> None:
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args, **kwargs)
    else:
        enqueue_after_commit(task, *args, **kwargs)


def queued_row(task: Task, *args: Any, **kwargs: Any) -> DBTaskResult | None:
    """With the database queue, the unsaved row that `task.enqueue(*args, **kwargs)` would
    write, for a caller that writes it together with its own rows (renda.lib.insert); None
    with any other backend, where the caller hands the task over after the commit instead
    (`enqueue_after_commit`). The row is built as django_tasks_db's backend builds it
    (renda/lib/tests/test_tasks.py compares the two), without the debug log of `task_enqueued`."""
    backend = task.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return None
    _validated(backend, task)
    row = DBTaskResult(
        id=backend._get_id(),
        args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
        priority=task.priority,
        task_path=task.module_path,
        queue_name=task.queue_name,
        run_after=task.run_after,
        backend_name=backend.alias,
    )
    # What the row's save would do first: django_tasks_db fills in run_after there.
    pre_save.send(sender=DBTaskResult, instance=row, raw=False, using=None, update_fields=None)
    return row


@functools.lru_cache(maxsize=64)
def _validated(backend: DatabaseBackend, task: Task) -> None:
    # What enqueue checks each time (the task's function signature among others) depends on
    # the task and the backend only.
    backend.validate_task(task)


def enqueue_after_commit(task: Task, *args: Any, **kwargs: Any) -> None:
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs))
