"""Two people acting on one case at once: the second gets a clear conflict, nothing is lost."""

import threading

import pytest
from django.db import connection

from renda.cases.models import Case, CaseEvent
from renda.cases.services import CaseConflict, case_accept, case_reject
from renda.cases.services._core import move
from renda.cases.tests.helpers import submit
from renda.cases.workflow import Action


def test_it_refuses_the_second_of_two_actors_who_saw_the_same_version(personas):
    case = submit(personas)
    seen_by_town = Case.objects.get(pk=case.pk)
    seen_by_county = Case.objects.get(pk=case.pk)
    case_accept(case=seen_by_town, actor=personas.town_clerk, version=seen_by_town.version)
    with pytest.raises(CaseConflict) as error:
        case_reject(
            case=seen_by_county,
            actor=personas.county_clerk,
            version=seen_by_county.version,
            reason="重复",
        )
    assert str(error.value) == "该事项已被他人处理（版本已变化），请刷新后重试。"
    case.refresh_from_db()
    assert (case.state, case.version, case.reject_reason) == (Case.State.ACCEPTED, 2, "")
    assert list(case.events.values_list("action", flat=True)) == ["submit", "accept"]


def test_it_refuses_a_stale_version_even_from_the_same_person(personas):
    case = submit(personas)
    case_accept(case=case, actor=personas.town_clerk, version=1)
    with pytest.raises(CaseConflict):
        case_reject(case=case, actor=personas.town_clerk, version=1, reason="重复")


def test_the_write_itself_is_conditional_on_the_version(personas):
    # Between the check and the write another transaction may commit (PostgreSQL without the
    # row lock, or any database): the UPDATE … WHERE version = seen matches no row then.
    case = submit(personas)
    fresh = Case.objects.get(pk=case.pk)
    Case.objects.filter(pk=case.pk).update(version=2)
    with pytest.raises(CaseConflict):
        move(Action.ACCEPT, case=case, fresh=fresh, actor=personas.town_clerk, version=1)
    assert CaseEvent.objects.filter(case=case).count() == 1


def _in_threads(count: int, work):
    """Run `work(i)` in `count` threads at once; each thread has its own connection."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as error:  # reported to the test, not lost in the thread
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real concurrency needs a server database"
)


@postgres_only
def test_it_numbers_concurrent_submissions_without_gaps_or_repeats(committed_db, personas):
    results = _in_threads(8, lambda i: submit(personas, title=f"并发提交{i}").code)
    assert sorted(results) == [f"MQ2026-{n:06d}" for n in range(1, 9)]


@postgres_only
def test_it_lets_only_one_of_two_simultaneous_actors_win(committed_db, personas):
    case = submit(personas)
    actors = [personas.town_clerk, personas.county_clerk]

    def act(i: int):
        if i == 0:
            return case_accept(case=Case.objects.get(pk=case.pk), actor=actors[0], version=1)
        return case_reject(
            case=Case.objects.get(pk=case.pk), actor=actors[1], version=1, reason="重复"
        )

    results = _in_threads(2, act)
    conflicts = [r for r in results if isinstance(r, CaseConflict)]
    assert len(conflicts) == 1, results
    case.refresh_from_db()
    assert case.version == 2
    assert case.events.count() == 2
