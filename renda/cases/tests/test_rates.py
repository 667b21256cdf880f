"""The handling rates (renda.cases.rates): a scripted September 2026 driven through the
services, with every figure computed by hand below, per unit, per town and in total, for
several readers; and the drill-down rows agree with every figure.

The seeded calendar matters: Sunday 2026-09-20 is a make-up working day (国庆节调休上班) and
Friday 2026-09-25 a holiday (中秋节).

Cases (all in 2026-09; wd = working days):

- A, 街道办, 一般: assigned 15th, signed 17th (2 wd ≤ 3: in time); replied 18th 已解决, on
  time; 满意 21st.
- B, 街道办, 紧急 (deadline 16th): assigned 15th, signed 17th (2 wd > 1: late); replied 17th
  列入计划, late; 不满意 18th → 重办 (deadline Sun 20th); replied 18th 已解决, on time; 基本满意
  21st.
- C, 街道办, 一般: assigned Fri 18th, signed Tue 22nd (20th, 21st, 22nd: 3 wd, in time).
- D, 街道办, 一般: assigned Fri 18th, signed Wed 23rd (4 wd with the make-up Sunday: late);
  replied 24th 解释说明, on time; never rated.
- E, 街道办: assigned 15th, returned 16th before signing.
- F, 街道办: assigned 29th; on the 30th (now) still within its limit: not judged yet.
- H, 区住建局: escalated to the county, assigned 15th, signed 15th, replied 16th 已解决, 满意.
- G, 西山镇政府 (another town): assigned and signed 15th, replied 16th 已解决, 满意.
"""

from types import SimpleNamespace

import pytest
from django.utils import timezone

from renda.accounts.services import user_create
from renda.cases import rates
from renda.cases.models import Assignment
from renda.cases.services import (
    case_accept,
    case_assign,
    case_rate,
    case_reply,
    case_return,
    case_sign,
)
from renda.cases.tests.helpers import assigned_to_town, at, escalated, submit, tier
from renda.org.models import Region
from renda.org.roles import Role
from renda.org.services import membership_grant
from renda.testing import PASSWORD
from renda.workcal.calendar import working_days_between

SEPTEMBER = rates.month_period(2026, 9)
NOW = at(2026, 9, 30)


def _sign(case, user):
    return case_sign(case=case, actor=user, version=case.version)


def _reply(case, user, result="solved"):
    return case_reply(
        case=case, actor=user, version=case.version, result_class=result, reply="答复"
    )


def _rate(case, user, rating):
    return case_rate(case=case, actor=user, version=case.version, rating=rating)


def make_other_town_handler(personas):
    user = user_create(
        username="other_handler", password=PASSWORD, full_name="西山镇经办人", validate=False
    )
    membership_grant(user=user, role=Role.HANDLER, unit=personas.units["other_town_gov"])
    return user


@pytest.fixture
def september(personas, clock, town_handler, county_unit, county_handler):
    return script_september(
        personas,
        clock,
        town_handler,
        county_unit,
        county_handler,
        make_other_town_handler(personas),
    )


def script_september(
    personas, clock, town_handler, county_unit, county_handler, other_town_handler
):
    """The cases of the module docstring, through the services; the clock ends at NOW."""
    p, citizen = personas, personas.citizen
    clock.move_to(at(2026, 9, 15))
    a = assigned_to_town(p, title="A")
    b = assigned_to_town(p, urgency="紧急", title="B")
    e = assigned_to_town(p, title="E")
    h = escalated(p)
    h = case_assign(
        case=h,
        actor=p.county_clerk,
        version=h.version,
        lead_unit=county_unit,
        urgency=tier("一般"),
    )
    h = _sign(h, county_handler)
    g = submit(p, title="G", region=p.regions["other_village"], grid=p.grids["other_town"])
    g = case_accept(case=g, actor=p.other_town_clerk, version=g.version)
    g = case_assign(
        case=g,
        actor=p.other_town_clerk,
        version=g.version,
        lead_unit=p.units["other_town_gov"],
        urgency=tier("一般"),
    )
    g = _sign(g, other_town_handler)

    clock.move_to(at(2026, 9, 16))
    e = case_return(case=e, actor=town_handler, version=e.version, reason="不属于本单位职责")
    h = _rate(_reply(h, county_handler), citizen, "satisfied")
    g = _rate(_reply(g, other_town_handler), citizen, "satisfied")

    clock.move_to(at(2026, 9, 17))
    a = _sign(a, town_handler)
    b = _reply(_sign(b, town_handler), town_handler, "planned")

    clock.move_to(at(2026, 9, 18))
    a = _reply(a, town_handler)
    b = _rate(b, citizen, "unsatisfied")
    c = assigned_to_town(p, title="C")
    d = assigned_to_town(p, title="D")
    clock.move_to(at(2026, 9, 18, 15))
    b = _reply(b, town_handler)

    clock.move_to(at(2026, 9, 21))
    a = _rate(a, citizen, "satisfied")
    b = _rate(b, citizen, "basically_satisfied")
    clock.move_to(at(2026, 9, 22))
    c = _sign(c, town_handler)
    clock.move_to(at(2026, 9, 23))
    d = _sign(d, town_handler)
    clock.move_to(at(2026, 9, 24))
    d = _reply(d, town_handler, "explained")
    clock.move_to(at(2026, 9, 29))
    f = assigned_to_town(p, title="F")
    clock.move_to(NOW)
    return SimpleNamespace(a=a, b=b, c=c, d=d, e=e, f=f, g=g, h=h)


def _day(moment):
    return timezone.localtime(moment).date()


def _figures(row) -> dict[str, tuple[int, int, str]]:
    return {k: (f.numerator, f.denominator, f.percent) for k, f in row.figures.items()}


# Hand-computed: see the module docstring.
TOWN_GOV = {
    "response": (2, 5, "40.0%"),  # A, C of A B C D E (F pending)
    "on_time": (3, 4, "75.0%"),  # A, B round 2, D of A, B1, B2, D
    "solved": (2, 3, "66.7%"),  # A, B2 of ratings A, B1, B2
    "satisfied": (2, 3, "66.7%"),  # A 满意, B2 基本满意 of A, B1 (不满意), B2
    "reopened": (1, 3, "33.3%"),  # B of A, B, D
    "returned": (1, 6, "16.7%"),  # E of A B C D E F
}
COUNTY_DEPT = {
    "response": (1, 1, "100.0%"),
    "on_time": (1, 1, "100.0%"),
    "solved": (1, 1, "100.0%"),
    "satisfied": (1, 1, "100.0%"),
    "reopened": (0, 1, "0.0%"),
    "returned": (0, 1, "0.0%"),
}
TOWN_TOTAL = {
    "response": (3, 6, "50.0%"),
    "on_time": (4, 5, "80.0%"),
    "solved": (3, 4, "75.0%"),
    "satisfied": (3, 4, "75.0%"),
    "reopened": (1, 4, "25.0%"),
    "returned": (1, 7, "14.3%"),
}
EMPTY = dict.fromkeys(TOWN_TOTAL, (0, 0, "—"))


def test_it_computes_every_rate_for_the_town_clerk(personas, september, county_unit):
    table = rates.rates_for_user(personas.town_clerk, SEPTEMBER, now=NOW)
    units = {row.name: _figures(row) for row in table.units}
    assert units == {"东湖街道办事处": TOWN_GOV, "东湖区住房和城乡建设局": COUNTY_DEPT}
    assert [(row.name, _figures(row)) for row in table.towns] == [("东湖街道", TOWN_TOTAL)]
    assert _figures(table.total) == TOWN_TOTAL


def test_it_counts_signing_in_working_days_of_the_calendar(personas, september):
    # The make-up Sunday makes D's signing the 4th working day, C's the 3rd.
    c, d = (Assignment.objects.get(case=x, role="lead") for x in (september.c, september.d))
    assert working_days_between(_day(c.assigned_at), _day(c.signed_at)) == 3
    assert working_days_between(_day(d.assigned_at), _day(d.signed_at)) == 4
    rows = rates.rate_rows(
        personas.town_clerk,
        rate=rates.RATES_BY_KEY["response"],
        part=rates.DENOMINATOR,
        period=SEPTEMBER,
        now=NOW,
    )
    counted = {a.case.code: a.counted for a in rows}
    s = september
    assert counted == {
        s.a.code: True,
        s.b.code: False,
        s.c.code: True,
        s.d.code: False,
        s.e.code: False,
        s.h.code: True,
    }


def test_it_agrees_with_the_on_time_flag_of_the_reply_events(personas, september):
    rows = rates.rate_rows(
        personas.town_clerk,
        rate=rates.RATES_BY_KEY["on_time"],
        part=rates.DENOMINATOR,
        period=SEPTEMBER,
        now=NOW,
    )
    flags = sorted(a.counted for a in rows)
    events = [
        e.data["on_time"]
        for case in (september.a, september.b, september.d, september.h)
        for e in case.events.filter(action="reply")
    ]
    assert flags == sorted(events)


def test_it_judges_a_pending_assignment_once_its_limit_has_passed(personas, september):
    # F was assigned on 09-29; with the National Day holiday its limit runs to 10-09.
    october_9 = rates.rates_for_user(personas.town_clerk, SEPTEMBER, now=at(2026, 10, 9, 23))
    october_10 = rates.rates_for_user(personas.town_clerk, SEPTEMBER, now=at(2026, 10, 10))
    assert _figures(october_9.total)["response"] == (3, 6, "50.0%")
    assert _figures(october_10.total)["response"] == (3, 7, "42.9%")


def test_it_keeps_other_towns_out(personas, september):
    other = rates.rates_for_user(personas.other_town_clerk, SEPTEMBER, now=NOW)
    assert [row.name for row in other.units] == ["西山镇人民政府"]
    expected = dict(COUNTY_DEPT)
    assert _figures(other.total) == expected
    assert [(row.name, _figures(row)) for row in other.towns] == [("西山镇", expected)]
    # …and the town clerk's figures hold nothing of 西山镇.
    mine = rates.rates_for_user(personas.town_clerk, SEPTEMBER, now=NOW)
    assert "西山镇人民政府" not in [row.name for row in mine.units]


def test_it_gives_the_county_every_town_and_the_leader_the_city(personas, september):
    county = rates.rates_for_user(personas.county_clerk, SEPTEMBER, now=NOW)
    assert [(row.name, _figures(row)) for row in county.towns] == [
        ("东湖街道", TOWN_TOTAL),
        ("南湖镇", EMPTY),
    ]
    leader = rates.rates_for_user(personas.leader, SEPTEMBER, now=NOW)
    assert _figures(leader.total)["returned"] == (1, 8, "12.5%")  # G joins
    assert {row.name for row in leader.towns} >= {"东湖街道", "南湖镇", "西山镇"}


def test_it_shows_a_handler_only_their_units_row(personas, september, town_handler, county_handler):
    table = rates.rates_for_user(town_handler, SEPTEMBER, now=NOW)
    assert [(row.name, _figures(row)) for row in table.units] == [("东湖街道办事处", TOWN_GOV)]
    assert _figures(table.total) == TOWN_GOV
    county = rates.rates_for_user(county_handler, SEPTEMBER, now=NOW)
    assert [(row.name, _figures(row)) for row in county.units] == [
        ("东湖区住房和城乡建设局", COUNTY_DEPT)
    ]


def test_it_is_empty_outside_the_period(personas, september):
    august = rates.rates_for_user(personas.town_clerk, rates.month_period(2026, 8), now=NOW)
    assert august.units == []
    assert _figures(august.total) == EMPTY


@pytest.mark.parametrize("reader", ["town_clerk", "leader"])
def test_it_lists_exactly_the_rows_of_every_figure(personas, september, reader):
    user = getattr(personas, reader)
    table = rates.rates_for_user(user, SEPTEMBER, now=NOW)
    for row in [*table.units, *table.towns, table.total]:
        group = {}
        if row.kind == "unit":
            group["unit"] = row.key
        elif row.kind == "town":
            group["town"] = Region.objects.get(pk=row.key)
        for rate in rates.RATES:
            figure = row.figures[rate.key]
            for part, expected in (
                (rates.NUMERATOR, figure.numerator),
                (rates.DENOMINATOR, figure.denominator),
            ):
                listed = rates.rate_rows(
                    user, rate=rate, part=part, period=SEPTEMBER, now=NOW, **group
                )
                assert listed.count() == expected, (row.name, rate.key, part)
                assert len(list(listed)) == expected


def test_it_rounds_half_up_to_one_decimal():
    assert rates.Figure(1, 3).percent == "33.3%"
    assert rates.Figure(2, 3).percent == "66.7%"
    assert rates.Figure(1, 8).percent == "12.5%"
    assert rates.Figure(1, 16).percent == "6.3%"  # 6.25 → 6.3, not banker's 6.2
    assert rates.Figure(0, 0).percent == "—"


def test_it_builds_periods():
    assert rates.quarter_period(2026, 3).start.isoformat() == "2026-07-01"
    assert rates.quarter_period(2026, 3).end.isoformat() == "2026-09-30"
    assert rates.month_period(2026, 2).end.isoformat() == "2026-02-28"
    assert rates.year_period(2026).end.isoformat() == "2026-12-31"
