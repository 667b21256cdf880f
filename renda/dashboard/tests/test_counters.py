"""The dashboard's counters (renda.dashboard.counters): after every step of the scripted cases
and a few more (重办, a second reply, a rating), the monthly figures read from the counters are
the figures counted from the cases; a task run twice and a rebuild change nothing; each
reader's counters stay inside their scope."""

import pytest

from renda.cases.services import case_rate, case_reply
from renda.dashboard import selectors
from renda.dashboard.counters import case_count, counts_rebuild
from renda.dashboard.models import CaseCount
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

    counted = _rows()
    assert counted
    for pk in Case.objects.values_list("pk", flat=True):
        case_count(case_id=pk)
    assert _rows() == counted
    assert counts_rebuild() == Case.objects.count()
    assert _rows() == counted


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
