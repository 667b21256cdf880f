"""points_sync through the signal handlers: cases a deputy collected earn points, and a change
of the case supersedes or withdraws the entry, never deletes it."""

from decimal import Decimal

from renda.cases.models import Case
from renda.duty.models import PointEntry
from renda.duty.services import points_sync
from renda.duty.tests.conftest import collected, rejected, solved


def test_it_credits_a_collected_opinion_with_its_reason(personas, on_commit):
    case = on_commit(collected, personas)
    entry = PointEntry.objects.get()
    assert entry.deputy == personas.deputies["deputy"]
    assert entry.record == case
    assert entry.points == Decimal(1)
    assert entry.reason == "+1 分 收集民情意见 2026-09-15"
    assert entry.record_label.startswith(case.code)


def test_it_uses_the_rule_for_the_case_kind(personas, on_commit):
    on_commit(collected, personas, kind=Case.Kind.SUGGESTION)
    assert PointEntry.objects.get().reason == "+3 分 领衔提出代表建议 2026-09-15"


def test_it_withdraws_the_entry_of_a_rejected_case(personas, on_commit):
    case = on_commit(collected, personas)
    on_commit(rejected, personas, case)
    entry = PointEntry.objects.get()
    assert entry.status == PointEntry.Status.WITHDRAWN
    assert entry.ended_at is not None


def test_it_adds_points_when_the_answer_solves_it(personas, town_handler, on_commit):
    on_commit(solved, personas, town_handler)
    reasons = sorted(PointEntry.objects.filter(status="active").values_list("reason", flat=True))
    assert reasons == ["+1 分 收集民情意见 2026-09-15", "+2 分 意见建议得到解决 2026-09-15"]


def test_a_citizens_own_case_earns_nothing(personas, on_commit):
    from renda.cases.tests.helpers import submit

    on_commit(submit, personas)
    assert not PointEntry.objects.exists()


def test_sync_is_idempotent(personas, on_commit):
    case = on_commit(collected, personas)
    result = points_sync(model_label="cases.Case", ids=[case.pk])
    assert (result.created, result.ended) == (0, 0)
    assert PointEntry.objects.count() == 1


def test_it_does_not_count_without_a_commit(personas):
    # Inside a transaction that is never committed the signal only schedules the sync.
    collected(personas)
    assert not PointEntry.objects.exists()
