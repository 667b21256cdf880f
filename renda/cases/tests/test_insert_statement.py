"""renda.lib.insert, as intake uses it: rows of several tables in one statement, as their saves
would write them."""

import uuid

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from psycopg.types.json import Jsonb

from renda.cases.models import Case, CaseEvent
from renda.cases.tasks import case_follow_up
from renda.cases.tests.helpers import category, submit
from renda.lib.insert import Insert, drawn_ids, write
from renda.open311.models import Client, ClientRequest

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="one statement of several inserts: PostgreSQL"
)


def _case(personas, **fields) -> Case:
    return Case(
        code="",
        title="湖滨路路灯不亮",
        content="湖滨路北段三盏路灯已坏一周。",
        category=category(),
        region=personas.regions["village"],
        congress=personas.units["town"],
        channel=Case.Channel.OPEN311,
        submitter_name="王明",
        submitter_phone="13900001111",
        **fields,
    )


def _columns(obj) -> dict:
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if not f.primary_key and f.attname not in {"created_at", "updated_at", "code", "case_id"}
    }


def test_rows_that_refer_to_one_another_are_written_by_one_statement(personas):
    case = _case(personas)
    event = CaseEvent(actor=None, action="submit", to_state="submitted", data={"a": 1})
    record = CaseEvent(actor=personas.town_clerk, action="note", note="记录")  # key: database's
    case_id = ('(SELECT "case" FROM "ids")', [])
    ids = drawn_ids(case=Case)  # asks for the sequence's name once per process
    with CaptureQueriesContext(connection) as queries:
        write(
            [
                Insert(event, computed={"case_id": case_id}),
                Insert(record, computed={"case_id": case_id}),
                Insert(case, computed={"id": case_id, "code": ("%s || '-1'", ["MQ"])}),
            ],
            before=[("ids", *ids)],
        )
    assert len(queries) == 1
    # Every instance holds what the database computed, as after save().
    assert case.pk and case.code == "MQ-1" and not case._state.adding
    assert event.pk and event.case_id == case.pk and not event._state.adding
    assert record.pk and record.case_id == case.pk
    # The rows are what their saves would have written.
    assert _columns(Case.objects.get(pk=case.pk)) == _columns(case)
    assert _columns(CaseEvent.objects.get(pk=event.pk)) == _columns(event)
    assert CaseEvent.objects.get(pk=record.pk).note == "记录"
    stored = Case.objects.get(pk=case.pk)
    assert stored.running_deadline == case.running_deadline  # generated, read back
    assert stored.created_at == case.created_at  # auto_now_add, filled in as save() does


def test_a_refused_row_writes_none_of_them(personas):
    existing = submit(personas, idempotency_key="same")
    event = CaseEvent(case=existing, action="submit", to_state="submitted")
    duplicate = _case(personas, idempotency_key="same")
    duplicate.submitter = personas.citizen
    with pytest.raises(IntegrityError), transaction.atomic():
        write([Insert(event), Insert(duplicate, computed={"code": ("'MQ-2'", [])})])
    assert not Case.objects.filter(code="MQ-2").exists()
    assert CaseEvent.objects.filter(case=existing).count() == 1


def test_the_statement_is_prepared_once_per_connection(personas):
    # Django turns psycopg's preparing off unless the settings give a threshold
    # (renda/settings/base.py); without it `prepare=True` is ignored and PostgreSQL parses
    # and plans intake's statement every time.
    submit(personas)
    submit(personas, title="湖滨路北段路灯不亮")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ['WITH "ids" AS (%'],
        )
        (prepared,) = cursor.fetchone()
    assert prepared == 1


def _statement(insert: Insert, *, plain: bool) -> tuple[str, list]:
    """The insert's SQL and parameters (type and value), with or without its shortcut for
    values written as they are."""
    if not plain:
        insert.shape = insert.shape._replace(plain=[frozenset()] * len(insert.shape.written))
    sql, params = insert.sql(connection)
    return sql, [(type(p), p.obj if isinstance(p, Jsonb) else p) for p in params]


def _insertable(model) -> bool:
    try:
        Insert(model())
    except ValueError:  # a key the database does not give
        return False
    return True


@pytest.mark.parametrize(
    "model",
    [m for m in apps.get_models() if not m._meta.proxy and _insertable(m)],
    ids=lambda m: m._meta.label,
)
def test_every_model_at_its_defaults_is_written_as_its_fields_prepare_it(model):
    # Insert.sql skips a field's preparation for values it writes as they are
    # (renda.lib.insert._plain_types): the statement must be the one the fields would make.
    obj = model()
    assert _statement(Insert(obj), plain=True) == _statement(Insert(obj), plain=False)


def test_intakes_rows_are_written_as_their_fields_prepare_them(personas):
    case = _case(personas, latitude="30.1", longitude="120.2", idempotency_key="k1")
    case.submitter = personas.citizen
    event = CaseEvent(case_id=1, actor=personas.town_clerk, action="submit", data={"a": 1})
    task = DBTaskResult(
        id=uuid.uuid4(),
        args_kwargs={"args": [1, 2, "submit"], "kwargs": {}},
        task_path=case_follow_up.module_path,
        queue_name="default",
        backend_name="default",
        run_after=timezone.now(),
    )
    client = Client.objects.create(name="热线", region=personas.regions["city"], key_digest="d")
    record = ClientRequest(case_id=1, client=client, email="a@example.cn", address_id="x")
    for obj in (case, event, task, record):
        computed = {"id": ("1", [])} if obj is case else {}
        fast = _statement(Insert(obj, computed=computed), plain=True)
        assert fast == _statement(Insert(obj, computed=computed), plain=False)
