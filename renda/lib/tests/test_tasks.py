"""queued_row builds the row django_tasks_db's enqueue writes, for callers that write it with
their own rows in one statement (renda.lib.insert)."""

import pytest
from django.test.utils import override_settings
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from renda.lib.tasks import queued_row

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Set when the row is written (enqueued_at) or unique to it (id).
PER_ROW = {"id", "enqueued_at"}


@task()
def case_follow_up(case_id: int, event_id: int, action: str) -> None:
    """A task of the same shape as renda.cases.tasks.case_follow_up, never run here."""


def _fields(row: DBTaskResult) -> dict:
    return {
        f.attname: getattr(row, f.attname)
        for f in DBTaskResult._meta.concrete_fields
        if f.attname not in PER_ROW
    }


@pytest.mark.django_db
def test_the_row_is_the_one_enqueue_writes():
    with override_settings(TASKS=DATABASE_QUEUE):
        case_follow_up.enqueue(7, 11, "submit")
        built = queued_row(case_follow_up, 7, 11, "submit")
    written = DBTaskResult.objects.get()
    assert built is not None and built._state.adding
    assert _fields(built) == _fields(written)
    assert built.pk != written.pk


def test_another_backend_has_no_row_to_write():
    # The test settings run tasks at once (ImmediateBackend): nothing is queued in a table.
    assert queued_row(case_follow_up, 7, 11, "submit") is None
