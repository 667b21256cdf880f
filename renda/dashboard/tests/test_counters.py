"""The dashboard's counters (renda.dashboard.counters): after every step of the scripted cases
and a few more (重办, a second reply, a rating), the monthly figures read from the counters are
the figures counted from the cases; a task run twice and a rebuild change nothing; each
reader's counters stay inside their scope."""

import pytest

from renda.cases.services import case_rate, case_reply
from renda.dashboard import selectors
from renda.dashboard.counters import case_count, counts_rebuild, county_of, on_case_deleting
from renda.dashboard.models import CaseCount, CountyCount, PlaceCount
from renda.dashboard.tests.conftest import _submit, person
from renda.org.roles import Role

pytestmark = pytest.mark.django_db

FIGURES = ("totals", "trend", "categories", "areas")


@pytest.fixture
def readers(personas, county_leader, other_county_leader):
    return {
        "city": personas.leader,
        "county": county_leader,
        "other_county": other_county_leader,
        "town": person("town_leader", Role.LEADER, personas.units["town"], "东湖街道领导"),
        "town_clerk": personas.town_clerk,
        "admin": personas.admin,
    }


def _figures(user, monkeypatch, *, counted: bool) -> dict:
    with monkeypatch.context() as patch:
        if not counted:
            patch.setattr(selectors, "counted_scope", lambda user: False)
        data = selectors.dashboard_for(user)
    return {name: getattr(data, name) for name in FIGURES}


def _assert_counted_as_the_cases(readers, monkeypatch) -> None:
    for name, user in readers.items():
        assert selectors.counted_scope(user), name
        counted = _figures(user, monkeypatch, counted=True)
        assert counted == _figures(user, monkeypatch, counted=False), name
    assert _place_rows() == _summed_by_place(_rows())
    assert _county_rows() == _summed_by_county(_rows())


def _county_rows() -> set[tuple]:
    return {
        row
        for row in CountyCount.objects.values_list(
            "month", "region_id", "congress_id", "category_id", "received", "closed", "late"
        )
        if any(row[4:])
    }


def _summed_by_county(rows: set[tuple]) -> set[tuple]:
    """`CaseCount`'s rows with their regions cut to their counties, as `CountyCount` keeps
    them."""
    county = county_of({row[1] for row in rows})
    sums: dict[tuple, list[int]] = {}
    for month, region, congress, category, *figures in rows:
        total = sums.setdefault((month, county[region], congress, category), [0, 0, 0])
        for i, n in enumerate(figures):
            total[i] += n
    return {(*key, *total) for key, total in sums.items() if any(total)}


def _place_rows() -> set[tuple]:
    return {
        row
        for row in PlaceCount.objects.values_list(
            "month", "region_id", "congress_id", "received", "closed", "late"
        )
        if any(row[3:])
    }


def _summed_by_place(rows: set[tuple]) -> set[tuple]:
    """`CaseCount`'s rows without their category, as `PlaceCount` keeps them."""
    sums: dict[tuple, list[int]] = {}
    for month, region, congress, _category, *figures in rows:
        total = sums.setdefault((month, region, congress), [0, 0, 0])
        for i, n in enumerate(figures):
            total[i] += n
    return {(*key, *total) for key, total in sums.items()}


def _rows() -> set[tuple]:
    return {
        row
        for row in CaseCount.objects.values_list(
            "month", "region_id", "congress_id", "category_id", "received", "closed", "late"
        )
        if any(row[4:])
    }


def test_the_counters_equal_the_cases_after_every_step(
    personas, handlers, scripted, readers, clock, monkeypatch, django_capture_on_commit_callbacks
):
    _assert_counted_as_the_cases(readers, monkeypatch)
    nanhu = scripted["nanhu"]  # answered late on 09-10: 逾期 in September, from the counters
    with django_capture_on_commit_callbacks(execute=True):
        clock.shift(3600)  # 11:00 today
        nanhu = case_rate(
            case=nanhu, actor=personas.citizen, version=nanhu.version, rating="unsatisfied"
        )
    # 重办: the unit works on it again, so its 逾期 is counted from the cases now.
    _assert_counted_as_the_cases(readers, monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        clock.shift(3600)
        nanhu = case_reply(
            case=nanhu,
            actor=handlers["town"],
            version=nanhu.version,
            result_class="solved",
            reply="已更换站牌。",
        )
        clock.shift(3600)
        nanhu = case_rate(
            case=nanhu, actor=personas.citizen, version=nanhu.version, rating="satisfied"
        )
        _submit(personas, title="西山镇路面塌陷", region="other_village", category="城乡建设")
    _assert_counted_as_the_cases(readers, monkeypatch)
    data = selectors.dashboard_for(readers["city"])
    assert data.totals["closed"] == 2 and data.totals["received"] == 6


def test_a_task_run_twice_and_a_rebuild_change_nothing(scripted):
    from renda.cases.models import Case

    counted, by_place, by_county = _rows(), _place_rows(), _county_rows()
    assert counted and by_place == _summed_by_place(counted)
    assert by_county == _summed_by_county(counted)
    for pk in Case.objects.values_list("pk", flat=True):
        case_count(case_id=pk)
    assert (_rows(), _place_rows(), _county_rows()) == (counted, by_place, by_county)
    assert counts_rebuild() == Case.objects.count()
    assert (_rows(), _place_rows(), _county_rows()) == (counted, by_place, by_county)


def test_a_rebuild_counts_cases_made_around_the_services(personas, readers, monkeypatch):
    # Cases submitted without their follow-up (as a bulk load writes them) are not counted
    # until the counters are rebuilt.
    _submit(personas, title="湖滨路积水", region="village", category="城乡建设")
    assert selectors.dashboard_for(readers["city"]).totals["received"] == 0
    counts_rebuild()
    _assert_counted_as_the_cases(readers, monkeypatch)
    assert selectors.dashboard_for(readers["city"]).totals["received"] == 1


def test_each_reader_counts_only_their_own_cases(personas, scripted, readers):
    totals = {name: selectors.dashboard_for(user).totals for name, user in readers.items()}
    assert totals["town"]["received"] == 3  # 湖滨社区's two, and today's new one
    assert totals["town"] == totals["town_clerk"]
    assert totals["county"]["received"] == 4  # and 南湖镇's
    assert totals["other_county"]["received"] == 1
    assert totals["city"]["received"] == totals["admin"]["received"] == 5
    areas = [a["name"] for a in selectors.dashboard_for(readers["town"]).areas]
    assert "西山镇" not in areas and "南湖镇" not in areas


def test_a_reader_who_also_handles_cases_is_counted_from_the_cases(personas, scripted):
    user = person("leader_handler", Role.LEADER, personas.units["town"])
    from renda.org.services import membership_grant

    membership_grant(user=user, role=Role.HANDLER, unit=personas.units["other_town_gov"])
    assert not selectors.counted_scope(user)
    # 东湖街道's three cases, and 西山村's, assigned to 西山镇人民政府.
    assert selectors.dashboard_for(user).totals["received"] == 4


def test_the_rebuild_in_sql_places_each_case_as_tally_of_does(scripted):
    # Moments either side of a local midnight that starts a month (UTC+8: 16:00 UTC), so a
    # month taken in UTC instead of local time would show; and a reply late by one local day.
    import datetime as dt

    from django.utils import timezone

    from renda.cases.models import Case
    from renda.dashboard.counters import _FIELDS, tally_of
    from renda.dashboard.models import CaseTally

    utc = dt.UTC
    before = dt.datetime(2026, 4, 30, 15, 59, tzinfo=utc)  # 23:59 on 04-30, local
    after = dt.datetime(2026, 4, 30, 16, 1, tzinfo=utc)  # 00:01 on 05-01, local
    cases = list(Case.objects.order_by("pk"))
    assert len(cases) >= 4
    Case.objects.filter(pk=cases[0].pk).update(created_at=before)
    Case.objects.filter(pk=cases[1].pk).update(created_at=after)
    Case.objects.filter(pk=cases[2].pk).update(
        state=Case.State.CLOSED, closed_at=after, replied_at=after, deadline=dt.date(2026, 4, 30)
    )
    Case.objects.filter(pk=cases[3].pk).update(
        state=Case.State.REPLIED, replied_at=before, deadline=dt.date(2026, 4, 30)
    )
    counts_rebuild()
    expected = {row["pk"]: tally_of(row) for row in Case.objects.values(*_FIELDS)}
    fields = ("region_id", "congress_id", "category_id", "received", "closed", "late")
    stored = {t["case_id"]: {f: t[f] for f in fields} for t in CaseTally.objects.values()}
    assert stored == expected
    assert expected[cases[0].pk]["received"] == dt.date(2026, 4, 1)
    assert expected[cases[1].pk]["received"] == dt.date(2026, 5, 1)
    assert expected[cases[2].pk]["closed"] == dt.date(2026, 5, 1)
    assert expected[cases[2].pk]["late"] == dt.date(2026, 4, 1)  # replied on 05-01, local
    assert expected[cases[3].pk]["late"] is None  # replied on its deadline, local
    assert str(timezone.get_current_timezone()) == "Asia/Shanghai"
    # And the counts are the tallies summed.
    from collections import Counter

    from renda.dashboard.counters import MEASURES, _keys

    summed = Counter(key for tally in expected.values() for key in _keys(tally))
    places = {key[:4] for key in summed}
    assert _rows() == {(*place, *(summed[(*place, m)] for m in MEASURES)) for place in places}


def test_a_case_moved_to_another_category_or_deleted_keeps_the_place_counts(scripted):
    from renda.cases.models import Case, Category

    by_place = _place_rows()
    case = Case.objects.filter(dashboard_tally__isnull=False).first()
    other = Category.objects.exclude(pk=case.category_id).first()
    Case.objects.filter(pk=case.pk).update(category=other)
    case_count(case_id=case.pk)
    assert _place_rows() == by_place == _summed_by_place(_rows())
    assert _county_rows() == _summed_by_county(_rows())
    # What the delete signal does (a case with events cannot be deleted: PROTECT).
    on_case_deleting(Case, Case.objects.get(pk=case.pk))
    assert _place_rows() == _summed_by_place(_rows()) != by_place
    assert _county_rows() == _summed_by_county(_rows())
    case_count(case_id=case.pk)  # counted again
    counted = (_rows(), _place_rows(), _county_rows())
    assert counted[1] == by_place
    counts_rebuild()
    assert (_rows(), _place_rows(), _county_rows()) == counted


def test_a_case_moved_within_its_county_moves_nothing_in_the_county_counts(
    personas, scripted, readers, monkeypatch
):
    from renda.cases.models import Case

    case = Case.objects.get(pk=scripted["nanhu"].pk)
    by_county = _county_rows()
    county = county_of({case.region_id})[case.region_id]
    sibling = personas.regions["village"]  # 湖滨社区: in 东湖区, as 南湖镇 is
    assert sibling.pk != case.region_id and county_of({sibling.pk})[sibling.pk] == county
    Case.objects.filter(pk=case.pk).update(region=sibling)
    case_count(case_id=case.pk)
    assert _county_rows() == by_county
    _assert_counted_as_the_cases(readers, monkeypatch)


def test_each_reader_is_counted_from_the_smallest_table_that_answers(readers):
    served = {
        name: selectors._county_counts_serve(user, selectors.areas_for(user)[0])
        for name, user in readers.items()
    }
    # The city's page shows its counties; a county's, its towns; a town's, its villages.
    assert served["city"] == served["admin"] == (True, True)
    assert served["county"] == served["other_county"] == (True, False)
    assert served["town"] == served["town_clerk"] == (False, False)


def test_migration_0005_fills_the_county_counts_as_the_rebuild_does():
    import importlib

    from renda.dashboard.counters import COUNTY_COUNTS_SQL

    migration = importlib.import_module("renda.dashboard.migrations.0005_county_counts")
    assert migration.Migration.operations[-1].sql == COUNTY_COUNTS_SQL


def test_a_migration_of_the_dashboard_fills_empty_counters_from_the_cases(scripted):
    """An upgrade that adds a counter table: the migrate that makes it fills it."""
    from types import SimpleNamespace

    from renda.dashboard.counters import on_migrated
    from renda.dashboard.models import CaseTally, RateAssignment

    counted, by_place = _rows(), _place_rows()
    assigned = RateAssignment.objects.count()
    assert counted and assigned
    by_county = _county_rows()
    for model in (CaseCount, PlaceCount, CountyCount, CaseTally, RateAssignment):
        model.objects.all().delete()
    other_app = [(SimpleNamespace(app_label="cases"), False)]
    on_migrated(None, plan=other_app, verbosity=0)  # another app's migration: left alone
    on_migrated(None, plan=None, verbosity=0)  # a flush: no plan
    assert not CaseCount.objects.exists()
    on_migrated(None, plan=[(SimpleNamespace(app_label="dashboard"), False)], verbosity=0)
    assert (_rows(), _place_rows(), _county_rows()) == (counted, by_place, by_county)
    assert RateAssignment.objects.count() == assigned
