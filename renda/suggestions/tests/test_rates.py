"""The suggestion rates (renda.suggestions.rates): a scripted set of 东湖区 suggestions driven
through the services, each figure computed by hand below, per lead unit, in total, per session
and per year; and the rows behind every figure agree with it.

All are filed in 第3次会议 (open 2026-09-14 to 09-17) or between sessions, assigned on Tuesday
2026-09-15 unless said (deadline three months on: 2026-12-15) and counted on 2027-01-20.
住建局 = 东湖区住房和城乡建设局, 街道办 = 东湖街道办事处.

- S0, 住建局, filed 2025-09-15 (year 2025, between sessions; deadline 2025-12-15): answered A
  2025-10-10 (on time), 满意.
- S1, 住建局, session: answered A 10-10 (on time), 满意. An earlier lead assignment to 街道办
  was returned: it is not counted.
- S2, 住建局, session: answered B 12-21 (late), 基本满意.
- S3, 住建局, session: answered C 11-02 (on time), 不满意 → 重办, answered A 11-20, 满意: the
  first answer decides 按时, the latest the class (A) and the rating (满意).
- S4, 住建局, session: extended to 2027-03-15 (复杂建议), answered B 2027-01-11: on time.
- S5, 街道办, between sessions: never answered: overdue.
- S6, 街道办, between sessions: answered C 10-20 (on time), 不满意 → 重办, not answered again:
  rated, not satisfied.
- S7, 街道办, between sessions, assigned 12-01 (deadline 2027-03-01): not answered, not due.

By hand (2026 only, i.e. S1–S7):

| unit   | assigned | answered | due | on time | A | B | C | rated | satisfied | unans. | overdue |
| 住建局 | 4        | 4        | 4   | 3       | 2 | 2 | 0 | 3     | 3         | 0      | 0       |
| 街道办 | 3        | 1        | 2   | 1       | 0 | 0 | 1 | 1     | 0         | 2      | 1       |
| 合计   | 7        | 5        | 6   | 4       | 2 | 2 | 1 | 4     | 3         | 2      | 1       |

按时办结率 住建局 3/4 = 75.0%, 街道办 1/2 = 50.0%, 合计 4/6 = 66.7%; 解决率 2/4 = 50.0%,
0/1 = 0.0%, 2/5 = 40.0%; 满意率 3/3 = 100.0%, 0/1 = 0.0%, 3/4 = 75.0%.
"""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from renda.cases.models import Assignment, Category
from renda.cases.services import case_sign
from renda.suggestions import copies, rates, services
from renda.suggestions.tests.helpers import County

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2027, 1, 20)
MEASURE_KEYS = [m.key for m in rates.MEASURES]


def at(y: int, m: int, d: int):
    return time_machine.travel(dt.datetime(y, m, d, 10, tzinfo=SHANGHAI), tick=False)


def _fresh(s):
    s.refresh_from_db()
    s.case.refresh_from_db()
    return s


def filed(personas, c: County, *, session=None, title="关于加装电梯的建议"):
    s = services.suggestion_file(
        actor=personas.deputy,
        congress=c.congress,
        session=session,
        title=title,
        content="老旧小区老年居民上下楼困难，建议加快加装电梯。",
        category=Category.objects.order_by("pk").first(),
        cosigners=[],
    )
    s = _fresh(s)
    return services.suggestion_review(
        actor=personas.county_clerk, suggestion=s, version=s.case.version, accept=True
    )


def assign(personas, s, unit):
    s = _fresh(s)
    return services.suggestion_assign(
        actor=personas.county_clerk, suggestion=s, version=s.case.version, lead_unit=unit
    )


def answer(handler, s, answer_class: str):
    s = _fresh(s)
    if s.case.state == "assigned":
        case_sign(case=s.case, actor=handler, version=s.case.version)
        s = _fresh(s)
    return services.suggestion_answer(
        actor=handler,
        suggestion=s,
        version=s.case.version,
        answer_class=answer_class,
        reply="经研究，答复如下。",
        promise="列入明年计划" if answer_class == "B" else "",
        promise_due=timezone.localdate() + dt.timedelta(days=200) if answer_class == "B" else None,
    )


def rate(personas, s, answer: str):
    s = _fresh(s)
    return services.suggestion_rate(
        actor=personas.deputy, suggestion=s, version=s.case.version, answer=answer, contact=answer
    )


def script(personas, c: County) -> SimpleNamespace:
    zj, jd = c.lead_unit, c.co_unit
    zj_h, jd_h = c.lead_handler, c.co_handler
    out = SimpleNamespace(zj=zj, jd=jd)
    with at(2025, 9, 15):
        out.s0 = assign(personas, filed(personas, c, title="S0"), zj)
    with at(2025, 10, 10):
        answer(zj_h, out.s0, "A")
    with at(2025, 10, 12):
        rate(personas, out.s0, "satisfied")
    with at(2026, 9, 14):
        session = services.session_create(
            actor=personas.county_clerk,
            term=c.term,
            number=3,
            opens_on=dt.date(2026, 9, 14),
            closes_on=dt.date(2026, 9, 17),
        )
    out.session = session
    with at(2026, 9, 15):
        s1, s2, s3, s4 = (filed(personas, c, session=session, title=f"S{i}") for i in range(1, 5))
        s5, s6, s7 = (filed(personas, c, title=f"S{i}") for i in range(5, 8))
        for s in (s1, s2, s3, s4):
            assign(personas, s, zj)
        for s in (s5, s6):
            assign(personas, s, jd)
        # An earlier lead assignment of S1, returned by 街道办: history, not counted.
        Assignment.objects.create(
            case=s1.case,
            unit=jd,
            role=Assignment.Role.LEAD,
            state=Assignment.State.RETURNED,
            deadline=dt.date(2026, 12, 15),
            assigned_at=timezone.now(),
            returned_at=timezone.now(),
            returned_reason="不属于本单位职责。",
            round=1,
        )
    s4 = _fresh(s4)
    with at(2026, 12, 1):
        services.suggestion_extend(
            actor=personas.county_clerk,
            suggestion=s4,
            version=s4.case.version,
            until=dt.date(2027, 3, 15),
            reason="涉及多个部门，情况复杂。",
        )
        assign(personas, s7, jd)
    # (day, suggestion, its handler, the answer class or the deputy's rating)
    steps = [
        ((2026, 10, 10), s1, zj_h, "A"),
        ((2026, 10, 12), s1, None, "satisfied"),
        ((2026, 12, 21), s2, zj_h, "B"),
        ((2026, 12, 22), s2, None, "basically_satisfied"),
        ((2026, 11, 2), s3, zj_h, "C"),
        ((2026, 11, 3), s3, None, "unsatisfied"),
        ((2026, 11, 20), s3, zj_h, "A"),
        ((2026, 11, 21), s3, None, "satisfied"),
        ((2027, 1, 11), s4, zj_h, "B"),
        ((2026, 10, 20), s6, jd_h, "C"),
        ((2026, 10, 21), s6, None, "unsatisfied"),
    ]
    for day, s, handler, value in steps:
        with at(*day):
            if handler is None:
                rate(personas, s, value)
            else:
                answer(handler, s, value)
    out.s = {1: s1, 2: s2, 3: s3, 4: s4, 5: s5, 6: s6, 7: s7}
    return out


@pytest.fixture
def scripted(personas, c) -> SimpleNamespace:
    return script(personas, c)


EXPECTED_2026 = {
    # assigned, answered, due, on_time, A, B, C, rated, satisfied, unanswered, overdue
    "zj": [4, 4, 4, 3, 2, 2, 0, 3, 3, 0, 0],
    "jd": [3, 1, 2, 1, 0, 0, 1, 1, 0, 2, 1],
    "total": [7, 5, 6, 4, 2, 2, 1, 4, 3, 2, 1],
}


def _counts(row) -> list[int]:
    return [row.counts[k] for k in MEASURE_KEYS]


def _percents(row) -> list[str]:
    return [row.figure(r).percent for r in rates.RATES]


def test_measures_are_in_the_documented_order():
    assert MEASURE_KEYS == [
        "assigned",
        "answered",
        "due",
        "on_time",
        "class_a",
        "class_b",
        "class_c",
        "rated",
        "satisfied",
        "unanswered",
        "overdue",
    ]


def test_the_2026_figures_per_unit_and_in_total(personas, scripted):
    table = rates.rates_for_user(personas.county_clerk, rates.Filter(year=2026), today=TODAY)
    assert [r.name for r in table.units] == [scripted.zj.name, scripted.jd.name]
    zj, jd = table.units
    assert _counts(zj) == EXPECTED_2026["zj"]
    assert _counts(jd) == EXPECTED_2026["jd"]
    assert _counts(table.total) == EXPECTED_2026["total"]
    assert _percents(zj) == ["75.0%", "50.0%", "100.0%"]
    assert _percents(jd) == ["50.0%", "0.0%", "0.0%"]
    assert _percents(table.total) == ["66.7%", "40.0%", "75.0%"]


def test_all_years_add_the_2025_suggestion(personas, scripted):
    table = rates.rates_for_user(personas.county_clerk, rates.Filter(), today=TODAY)
    zj = table.units[0]
    assert _counts(zj) == [5, 5, 5, 4, 3, 2, 0, 4, 4, 0, 0]
    assert _percents(table.total) == ["71.4%", "50.0%", "80.0%"]
    only_2025 = rates.rates_for_user(personas.county_clerk, rates.Filter(year=2025), today=TODAY)
    assert [r.name for r in only_2025.units] == [scripted.zj.name]
    assert _counts(only_2025.total) == [1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0]


def test_per_session_and_between_sessions(personas, scripted):
    session = rates.Filter(session=scripted.session)
    table = rates.rates_for_user(personas.county_clerk, session, today=TODAY)
    assert [r.name for r in table.units] == [scripted.zj.name]
    assert _counts(table.total) == EXPECTED_2026["zj"]
    between = rates.Filter(between_sessions=True, year=2026)
    table = rates.rates_for_user(personas.county_clerk, between, today=TODAY)
    assert [r.name for r in table.units] == [scripted.jd.name]
    assert _counts(table.total) == EXPECTED_2026["jd"]
    assert rates.session_choices(personas.county_clerk) == [scripted.session]
    assert rates.year_choices(personas.county_clerk) == [2026, 2025]
    counted = rates.counted_for_user(personas.county_clerk, today=TODAY)
    assert counted.session_ids == {scripted.session.pk} and counted.years == [2026, 2025]


def test_before_the_deadline_nothing_is_overdue(personas, scripted):
    # Counted on 2026-12-15, the deadline day: S5 and S7 are not overdue yet.
    table = rates.rates_for_user(
        personas.county_clerk, rates.Filter(year=2026), today=dt.date(2026, 12, 15)
    )
    assert table.total.counts["overdue"] == 0
    assert table.total.counts["due"] == 5  # the five answered (S2 and S4 later on)


@pytest.mark.parametrize("flt", [rates.Filter(year=2026), rates.Filter()])
def test_the_rows_behind_every_figure_agree_with_it(personas, scripted, flt):
    table = rates.rates_for_user(personas.county_clerk, flt, today=TODAY)
    for row in [*table.units, table.total]:
        for key in MEASURE_KEYS:
            rows = rates.measure_rows(
                personas.county_clerk, measure=key, flt=flt, unit=row.key, today=TODAY
            )
            assert rows.count() == row.counts[key], (row.name, key)


def test_the_rows_name_the_suggestions(personas, scripted):
    s = scripted.s
    rows = rates.measure_rows(
        personas.county_clerk, measure="overdue", flt=rates.Filter(), today=TODAY
    )
    assert [a.case_id for a in rows] == [s[5].case_id]
    on_time = rates.measure_rows(
        personas.county_clerk,
        measure="on_time",
        flt=rates.Filter(year=2026),
        unit=scripted.zj.pk,
        today=TODAY,
    )
    assert {a.case_id for a in on_time} == {s[1].case_id, s[3].case_id, s[4].case_id}


def test_a_handler_sees_only_their_units_rows(personas, scripted, c):
    table = rates.rates_for_user(c.co_handler, rates.Filter(year=2026), today=TODAY)
    assert [r.name for r in table.units] == [scripted.jd.name]
    assert _counts(table.total) == EXPECTED_2026["jd"]
    table = rates.rates_for_user(personas.unit_handler, rates.Filter(), today=TODAY)
    assert table.units == [] and table.total.counts["assigned"] == 0
    assert table.total.figure(rates.RATES[0]).percent == "—"


def test_readers_outside_the_county_see_nothing(personas, scripted):
    for user in (personas.other_county_clerk, personas.town_clerk, personas.other_town_clerk):
        table = rates.rates_for_user(user, rates.Filter(), today=TODAY)
        assert table.units == [], user.username
        assert rates.session_choices(user) == []
    city = rates.rates_for_user(personas.city_clerk, rates.Filter(year=2026), today=TODAY)
    assert _counts(city.total) == EXPECTED_2026["total"]


def test_on_time_ends_at_local_midnight_after_the_deadline_day(personas, scripted):
    # S7's deadline is 2027-03-01; an answer stamped in the last second of that day in
    # Shanghai is on time, one at the next midnight is late.
    lead = scripted.s[7].case.assignments.get(role="lead", round=1)
    flt = rates.Filter(between_sessions=True, year=2026)
    for stamp, on_time in [
        (dt.datetime(2027, 3, 1, 23, 59, 59, 900000, tzinfo=SHANGHAI), 2),
        (dt.datetime(2027, 3, 2, 0, 0, tzinfo=SHANGHAI), 1),
        (dt.datetime(2027, 3, 1, 0, 0, tzinfo=SHANGHAI), 2),
    ]:
        Assignment.objects.filter(pk=lead.pk).update(replied_at=stamp)
        copies.refresh_case(lead.case_id)
        table = rates.rates_for_user(personas.county_clerk, flt, today=TODAY)
        assert table.total.counts["on_time"] == on_time, stamp
        rows = rates.measure_rows(personas.county_clerk, measure="on_time", flt=flt, today=TODAY)
        assert rows.count() == on_time


def test_a_suggestion_not_accepted_and_handled_as_an_opinion_is_not_counted(personas, scripted, c):
    from renda.cases.models import UrgencyTier
    from renda.cases.services import case_accept, case_assign

    with at(2026, 9, 16):
        s = services.suggestion_file(
            actor=personas.deputy,
            congress=c.congress,
            session=None,
            title="关于规范广场舞音量的建议",
            content="广场舞音量过大，影响周边居民休息。",
            category=Category.objects.order_by("pk").first(),
            cosigners=[],
        )
        s = _fresh(s)
        s = services.suggestion_review(
            actor=personas.county_clerk,
            suggestion=s,
            version=s.case.version,
            accept=False,
            reason="属于一般性意见，转为民情意见办理。",
        )
        case = _fresh(s).case
        case = case_accept(case=case, actor=personas.county_clerk, version=case.version)
        case_assign(
            case=case,
            actor=personas.county_clerk,
            version=case.version,
            lead_unit=scripted.zj,
            urgency=UrgencyTier.objects.order_by("pk").first(),
        )
    table = rates.rates_for_user(personas.county_clerk, rates.Filter(year=2026), today=TODAY)
    assert _counts(table.total) == EXPECTED_2026["total"]
