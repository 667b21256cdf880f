"""The database task queue: what a case change hands over is written in the change's own
transaction (one commit for both), rolls back with it, and is done by the worker."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django_tasks_db.models import DBTaskResult

from renda.cases.tasks import case_follow_up
from renda.cases.tests.helpers import submit
from renda.notifications.models import Message
from renda.triage.models import CaseSignature

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_queue():
    with override_settings(TASKS=DATABASE_QUEUE):
        yield


def _queued() -> list[str]:
    return sorted(DBTaskResult.objects.values_list("task_path", flat=True))


def test_a_submission_queues_its_follow_up_work_without_doing_it(personas, database_queue):
    case = submit(personas)
    assert _queued() == ["renda.cases.tasks.case_follow_up"]  # one row, whoever listens
    # On PostgreSQL intake writes the row in its own statement (renda.lib.insert), with the
    # arguments computed there: the worker gets the same ones as from task.enqueue.
    row = DBTaskResult.objects.get()
    event = case.events.get()
    assert row.args_kwargs == {"args": [case.pk, event.pk, "submit"], "kwargs": {}}
    assert row.task.func is case_follow_up.func
    assert not Message.objects.filter(case=case).exists()
    assert not CaseSignature.objects.filter(case=case).exists()


def test_a_rolled_back_submission_leaves_nothing_queued(personas, database_queue):
    with pytest.raises(RuntimeError), transaction.atomic():
        submit(personas)
        raise RuntimeError("the request failed after the submission")
    assert not DBTaskResult.objects.exists()


def test_the_worker_does_the_queued_work(committed_db, personas, database_queue):
    # committed_db: the worker closes its database connection after each task, as a
    # long-running process should, which would end a test's enclosing transaction.
    case = submit(personas)
    call_command("db_worker", batch=True, reload=False, startup_delay=False, stdout=StringIO())
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert Message.objects.filter(case=case, recipient=personas.town_clerk).exists()
    assert CaseSignature.objects.filter(case=case).exists()
