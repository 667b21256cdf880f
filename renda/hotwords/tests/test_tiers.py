"""The tiered counts (renda.hotwords.tiers): what hot words, rising terms and case totals read
must equal a straight count over the stored terms of the cases, for any region, category and
period, after indexing case by case, after cases move, and after a rebuild."""

import datetime as dt
import random
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renda.cases.models import Case
from renda.cases.tests.helpers import category
from renda.hotwords import selectors, tiers
from renda.hotwords.models import CaseTerms, DailyTermCount, TermRollup
from renda.hotwords.services import case_terms_forget, case_terms_index
from renda.org.scope import scope_for

D = dt.date


@pytest.mark.parametrize(
    "start,end,months,ragged",
    [
        (D(2026, 9, 1), D(2026, 9, 30), (D(2026, 9, 1), D(2026, 9, 1)), []),
        (D(2026, 9, 2), D(2026, 9, 29), None, [(D(2026, 9, 2), D(2026, 9, 29))]),
        (
            D(2026, 8, 25),
            D(2026, 11, 23),
            (D(2026, 9, 1), D(2026, 10, 1)),
            [(D(2026, 8, 25), D(2026, 8, 31)), (D(2026, 11, 1), D(2026, 11, 23))],
        ),
        (D(2026, 1, 1), D(2026, 12, 31), (D(2026, 1, 1), D(2026, 12, 1)), []),
        (
            D(2026, 2, 1),
            D(2026, 3, 3),
            (D(2026, 2, 1), D(2026, 2, 1)),
            [(D(2026, 3, 1), D(2026, 3, 3))],
        ),
        (D(2026, 9, 15), D(2026, 9, 15), None, [(D(2026, 9, 15), D(2026, 9, 15))]),
        (
            D(2025, 12, 20),
            D(2026, 1, 31),
            (D(2026, 1, 1), D(2026, 1, 1)),
            [(D(2025, 12, 20), D(2025, 12, 31))],
        ),
    ],
)  # fmt: skip
def test_a_period_splits_into_whole_months_and_ragged_ends(start, end, months, ragged):
    assert tiers.split(start, end) == (months, ragged)


# Titles with a few shared words, so that counts above one and rising terms appear.
WORDS = ["路灯", "停车", "噪音", "积水", "垃圾", "井盖", "占道", "电梯"]
PLACES = ["village", "town", "town2", "county", "other_village", "other_town", "city"]
CATEGORIES = ["城乡建设", "交通运输", "环境保护"]
FIRST = D(2026, 5, 20)
LAST = D(2026, 9, 15)


@pytest.fixture
def spread(personas, file_case):
    """36 cases over four months, in every kind of place and three categories."""
    rng = random.Random(5)
    span = (LAST - FIRST).days
    for _ in range(36):
        a, b = rng.sample(WORDS, 2)
        when = FIRST + dt.timedelta(days=rng.randrange(span + 1))
        file_case(
            f"{a}和{b}的问题",
            f"关于{a}：{b}问题反映多次。",
            place=rng.choice(PLACES),
            when=(when.year, when.month, when.day),
            cat=rng.choice(CATEGORIES),
        )
    return personas


def _straight(region, cat, start: dt.date, end: dt.date) -> Counter:
    """The straight count: every stored case of the period, region and category."""
    rows = CaseTerms.objects.filter(day__range=(start, end))
    if region is not None:
        rows = rows.filter(area__path__startswith=region.path)
    if cat is not None:
        rows = rows.filter(category=cat)
    counts: Counter = Counter()
    for (terms,) in rows.values_list("terms"):
        counts.update({t for t, _ in terms} | {tiers.TOTAL})
    return counts


def _random_questions(personas, n: int, seed: int):
    rng = random.Random(seed)
    names = ["province", "city", "county", "town", "town2", "other_county", "other_town", "village"]
    regions = [None, *(personas.regions[p] for p in names)]
    for _ in range(n):
        start = FIRST - dt.timedelta(days=10) + dt.timedelta(days=rng.randrange(120))
        end = start + dt.timedelta(days=rng.choice([0, 6, 29, 45, 90, 120]))
        cat = rng.choice([None, None, *(category(c) for c in CATEGORIES)])
        yield rng.choice(regions), cat, start, end


def _assert_exact(personas, seed: int, n: int = 40) -> None:
    scope = scope_for(personas.admin)
    for region, cat, start, end in _random_questions(personas, n, seed):
        question = {"scope": scope, "region": region, "category": cat, "start": start, "end": end}
        expected = _straight(region, cat, start, end)
        words = selectors.hot_words(**question, limit=1000)
        assert {w.term: w.cases for w in words} == {
            t: n for t, n in expected.items() if t != tiers.TOTAL
        }, question
        assert selectors.case_total(**question) == expected[tiers.TOTAL], question
        # Rising terms read both periods in one query: compare what they are computed from.
        previous = selectors.previous_period(start, end)
        before = _straight(region, cat, *previous)
        reach = selectors._reach(scope, region)
        now_found, before_found = selectors._two_periods(reach, cat, previous, end)
        assert now_found.pop(tiers.TOTAL, 0) == expected[tiers.TOTAL], question
        assert before_found.pop(tiers.TOTAL, 0) == before[tiers.TOTAL], question
        wanted = {t for t, n in expected.items() if n >= 3} - {tiers.TOTAL}
        assert now_found == {t: expected[t] for t in wanted}, question
        assert before_found == {t: before[t] for t in wanted}, question


def _rollup() -> dict:
    return {
        (r.node_id, r.grain, r.category, r.start, r.term): r.cases
        for r in TermRollup.objects.filter(cases__gt=0)
    }


def test_the_tiers_equal_a_straight_count_for_random_questions(spread):
    assert TermRollup.objects.filter(grain="m").exists()
    _assert_exact(spread, seed=1)


def test_they_stay_exact_when_cases_change_place_category_or_text(spread):
    rng = random.Random(9)
    cases = list(Case.objects.order_by("pk"))
    for case in rng.sample(cases, 8):
        case.region = spread.regions[rng.choice(PLACES)]
        case.save()
    for case in rng.sample(cases, 8):
        case.category = category(rng.choice(CATEGORIES))
        case.save(update_fields=["category"])
    for case in rng.sample(cases, 4):
        case.title = "电梯困人"
        case.save()
    _assert_exact(spread, seed=2)
    # A deleted case (its events protect it here, so as the pre_delete receiver does).
    case_terms_forget(case_id=cases[0].pk)
    CaseTerms.objects.filter(case=cases[0]).delete()
    _assert_exact(spread, seed=3, n=10)


def test_the_rebuild_gives_the_same_rollup_as_indexing(spread, capsys):
    daily = {
        (r.day, r.area_id, r.category_id, r.term): r.cases
        for r in DailyTermCount.objects.filter(cases__gt=0)
    }
    expected = _rollup()
    TermRollup.objects.all().delete()
    call_command("rebuild_term_rollup")
    assert "完成：热词汇总已重建" in capsys.readouterr().out
    assert _rollup() == expected
    DailyTermCount.objects.all().delete()
    TermRollup.objects.all().delete()
    call_command("rebuild_case_terms")
    assert _rollup() == expected
    assert {
        (r.day, r.area_id, r.category_id, r.term): r.cases
        for r in DailyTermCount.objects.filter(cases__gt=0)
    } == daily


def test_a_case_moves_its_counts_in_one_upsert_per_table(personas, file_case):
    case = file_case("湖滨路路灯不亮", "湖滨路北段三盏路灯已坏一周。")
    case.region = personas.regions["other_village"]
    case.category = category("交通运输")
    with CaptureQueriesContext(connection) as queries:
        case_terms_index(case=case)
    skip = ("SELECT", "SAVEPOINT", "RELEASE")
    writes = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(skip)]
    # Two UPDATEs take the old cells' counts down, two upserts add the new ones, then the row.
    assert sum(s.startswith("INSERT INTO") and "ON CONFLICT" in s for s in writes) == 2
    assert sum(s.startswith("UPDATE") for s in writes) == 3  # two counts, the stored row
