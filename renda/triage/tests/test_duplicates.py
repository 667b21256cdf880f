"""The duplicate index: filled at intake (after commit), looked up in one query, rebuilt in
bulk by the command."""

import contextlib
import datetime as dt
from io import StringIO

import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from renda.cases.models import Case
from renda.cases.services import case_merge
from renda.cases.tests.helpers import submit
from renda.triage.duplicates import find_duplicates
from renda.triage.models import CaseBand, CaseSignature, DuplicateCandidate

ORIGINAL = {
    "title": "湖滨路北段路灯不亮",
    "content": "湖滨路北段三盏路灯已坏一周，夜间行人不便，老人晚上散步容易摔倒，请尽快维修。",
}
# An edited copy: reordered, a word changed, a number changed.
COPY = {
    "title": "湖滨路北段的路灯不亮了",
    "content": "湖滨路北段四盏路灯已坏一周，夜间行人很不方便，老人晚上散步容易摔倒，请尽快修理。",
}
OTHER = {
    "title": "学校门口交通拥堵",
    "content": "上下学时段东湖小学门口车辆乱停，交通拥堵，希望交警在高峰时段疏导。",
}


def _submit(personas, capture, **fields) -> Case:
    with capture(execute=True):
        return submit(personas, **fields)


def test_it_indexes_a_case_when_its_submission_commits(
    personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        case = submit(personas, **ORIGINAL)
    assert not CaseSignature.objects.filter(case=case).exists()  # not before the commit
    for callback in callbacks:
        callback()
    sig = CaseSignature.objects.get(case=case)
    assert sig.area == personas.regions["county"].path
    assert len(bytes(sig.signature)) == 128 * 4
    assert CaseBand.objects.filter(case=case).count() == 64


def test_it_finds_an_edited_copy_in_one_query_and_records_it(
    personas, django_capture_on_commit_callbacks
):
    original = _submit(personas, django_capture_on_commit_callbacks, **ORIGINAL)
    _submit(personas, django_capture_on_commit_callbacks, **OTHER)
    copy = _submit(personas, django_capture_on_commit_callbacks, **COPY)
    pair = DuplicateCandidate.objects.get(case=copy)
    assert pair.other == original and 0.3 < pair.similarity <= 1
    with CaptureQueriesContext(connection) as queries:
        found = find_duplicates(Case.objects.select_related("region"), copy)
    assert len(queries) == 1
    assert [c.case for c in found] == [original]
    assert found[0].similarity >= 0.3


def test_it_looks_only_in_the_same_county(personas, django_capture_on_commit_callbacks):
    _submit(personas, django_capture_on_commit_callbacks, **ORIGINAL)
    elsewhere = _submit(
        personas,
        django_capture_on_commit_callbacks,
        region=personas.regions["other_village"],
        grid=None,
        **COPY,
    )
    assert find_duplicates(Case.objects.all(), elsewhere) == []
    # 南湖镇 is another town of the same county: found there.
    nearby = _submit(
        personas,
        django_capture_on_commit_callbacks,
        region=personas.regions["town2"],
        grid=None,
        **COPY,
    )
    assert len(find_duplicates(Case.objects.all(), nearby)) == 1


def test_it_leaves_out_merged_and_old_closed_cases(personas, django_capture_on_commit_callbacks):
    with time_machine.travel(dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC), tick=False):
        old = _submit(personas, django_capture_on_commit_callbacks, **ORIGINAL)
        Case.objects.filter(pk=old.pk).update(
            state=Case.State.CLOSED, closed_at=dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
        )
    with time_machine.travel(dt.datetime(2026, 9, 15, 10, tzinfo=dt.UTC), tick=False):
        first = _submit(personas, django_capture_on_commit_callbacks, **ORIGINAL)
        second = _submit(personas, django_capture_on_commit_callbacks, **ORIGINAL)
        copy = _submit(personas, django_capture_on_commit_callbacks, **COPY)
        found = [c.case for c in find_duplicates(Case.objects.all(), copy)]
        assert found == [first, second]  # the closed one is 8 months old
        case_merge(case=second, actor=personas.town_clerk, version=second.version, into=first)
        found = [c.case for c in find_duplicates(Case.objects.all(), copy)]
        assert found == [first]


def test_text_without_letters_duplicates_nothing(personas, django_capture_on_commit_callbacks):
    _submit(personas, django_capture_on_commit_callbacks, title="！！！", content="😀😀😀？？")
    case = _submit(personas, django_capture_on_commit_callbacks, title="？？", content="😀……")
    assert CaseBand.objects.filter(case=case).count() == 0
    assert find_duplicates(Case.objects.all(), case) == []


def test_the_rebuild_command_indexes_existing_cases_in_batches(personas):
    # Without on_commit callbacks nothing is indexed, as for data from before this app.
    cases = [submit(personas, **ORIGINAL), submit(personas, **OTHER), submit(personas, **COPY)]
    assert CaseSignature.objects.count() == 0
    out = StringIO()
    call_command("rebuild_duplicate_index", "--batch-size", "2", stdout=out)
    assert "已为 3 件事项建立查重索引" in out.getvalue()
    assert CaseSignature.objects.count() == 3
    assert CaseBand.objects.count() == 3 * 64
    assert [c.case for c in find_duplicates(Case.objects.all(), cases[2])] == [cases[0]]
    # Idempotent: a second run replaces the rows.
    call_command("rebuild_duplicate_index", stdout=StringIO())
    assert CaseBand.objects.count() == 3 * 64


def test_it_compares_only_the_cases_sharing_the_most_bands(
    personas, django_capture_on_commit_callbacks, monkeypatch
):
    far = _submit(personas, django_capture_on_commit_callbacks, **COPY)
    near = _submit(personas, django_capture_on_commit_callbacks, **ORIGINAL)
    monkeypatch.setattr("renda.triage.duplicates.MAX_EXAMINED", 1)
    probe = submit(personas, **ORIGINAL)  # not indexed: looked up only
    assert [c.case for c in find_duplicates(Case.objects.all(), probe)] == [near]
    monkeypatch.setattr("renda.triage.duplicates.MAX_EXAMINED", 200)
    assert [c.case for c in find_duplicates(Case.objects.all(), probe)] == [near, far]


def test_the_cases_of_one_transaction_are_indexed_once_it_commits(
    personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        cases = [submit(personas, title=f"第{i}件", content=OTHER["content"]) for i in range(3)]
        assert not CaseSignature.objects.exists()  # nothing before the commit
    assert CaseSignature.objects.filter(case__in=cases).count() == 3


def test_a_rolled_back_submission_is_dropped_at_the_next_commit(
    personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with contextlib.suppress(RuntimeError), transaction.atomic():
            submit(personas, **ORIGINAL)
            raise RuntimeError("rolled back")
        case = submit(personas, **COPY)
    assert list(CaseSignature.objects.values_list("case_id", flat=True)) == [case.pk]
