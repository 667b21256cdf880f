"""Closing the loop: the whole path through the levels, ratings, 重办 and closing unrated."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command

from renda.cases.models import Assignment, Case, CaseSettings
from renda.cases.services import (
    CaseActionNotAllowed,
    case_accept,
    case_assign,
    case_close_unrated,
    case_escalate,
    case_rate,
    case_reply,
    case_sign,
)
from renda.cases.tests.helpers import at, handling_by_town, submit, tier
from renda.workcal.calendar import add_working_days


def _reply(case, handler, text="已处理。"):
    return case_reply(
        case=case, actor=handler, version=case.version, result_class="solved", reply=text
    )


def test_it_closes_the_loop_across_levels_with_two_reopenings(
    personas, county_unit, county_handler, clock
):
    citizen, town, county = personas.citizen, personas.town_clerk, personas.county_clerk
    case = submit(personas)
    case = case_accept(case=case, actor=town, version=case.version)
    case = case_escalate(case=case, actor=town, version=case.version, note="涉及区级道路管养")
    case = case_assign(
        case=case,
        actor=county,
        version=case.version,
        lead_unit=county_unit,
        urgency=tier("一般"),
    )
    case = case_sign(case=case, actor=county_handler, version=case.version)
    case = _reply(case, county_handler, "已安排检修。")
    assert case.state == Case.State.REPLIED

    clock.move_to(at(2026, 9, 21))
    case = case_rate(case=case, actor=citizen, version=case.version, rating="unsatisfied")
    assert case.state == Case.State.HANDLING
    assert case.unsatisfied_count == 1
    assert case.supervision == Case.Supervision.NONE
    assert case.deadline == add_working_days(dt.date(2026, 9, 21), 15)
    again = case.assignments.get(round=2)
    assert (again.unit, again.role, again.state) == (county_unit, "lead", "signed")

    clock.move_to(at(2026, 9, 25))
    case = _reply(case, county_handler, "已更换灯具。")
    case = case_rate(case=case, actor=citizen, version=case.version, rating="unsatisfied")
    assert case.state == Case.State.HANDLING
    assert case.unsatisfied_count == 2
    assert case.supervision == Case.Supervision.SUPERVISED  # the second 不满意

    clock.move_to(at(2026, 10, 9))
    case = _reply(case, county_handler, "已全线更换并加装定时器。")
    case = case_rate(case=case, actor=citizen, version=case.version, rating="satisfied")
    assert case.state == Case.State.CLOSED
    assert case.rating == Case.Rating.SATISFIED
    assert case.closed_at is not None

    steps = list(case.events.values_list("action", "from_state", "to_state", "actor__username"))
    assert steps == [
        ("submit", "", "submitted", "citizen"),
        ("accept", "submitted", "accepted", "town_clerk"),
        ("escalate", "accepted", "accepted", "town_clerk"),
        ("assign", "accepted", "assigned", "county_clerk"),
        ("sign", "assigned", "handling", "county_handler"),
        ("reply", "handling", "replied", "county_handler"),
        ("reopen", "replied", "handling", "citizen"),
        ("reply", "handling", "replied", "county_handler"),
        ("reopen", "replied", "handling", "citizen"),
        ("reply", "handling", "replied", "county_handler"),
        ("rate", "replied", "closed", "citizen"),
    ]
    assert case.version == len(steps)
    assert list(case.assignments.values_list("round", "state")) == [
        (1, "replied"),
        (2, "replied"),
        (3, "replied"),
    ]


def test_it_lets_only_the_submitter_rate(personas, town_handler):
    case = _reply(handling_by_town(personas, town_handler), town_handler)
    for outsider in (personas.deputy, personas.town_clerk, town_handler):
        with pytest.raises(CaseActionNotAllowed, match="您无权对该事项执行“评价”操作"):
            case_rate(case=case, actor=outsider, version=case.version, rating="satisfied")
    with pytest.raises(ValidationError, match="请选择满意、基本满意或不满意"):
        case_rate(case=case, actor=personas.citizen, version=case.version, rating="great")
    case = case_rate(
        case=case, actor=personas.citizen, version=case.version, rating="basically_satisfied"
    )
    assert case.state == Case.State.CLOSED


def test_it_lets_the_collecting_deputy_rate(personas, town_handler):
    case = handling_by_town(
        personas,
        town_handler,
        actor=personas.deputy,
        channel=Case.Channel.DEPUTY,
        collected_by=personas.deputies["deputy"],
        submitter_name="赵大爷",
    )
    case = _reply(case, town_handler)
    case = case_rate(case=case, actor=personas.deputy, version=case.version, rating="satisfied")
    assert case.state == Case.State.CLOSED
    assert case.events.last().actor == personas.deputy


def test_it_lets_an_anonymous_citizen_rate_with_the_phones_last_digits(personas, town_handler):
    case = handling_by_town(
        personas, town_handler, actor=None, submitter_name="王先生", submitter_phone="13800138000"
    )
    case = _reply(case, town_handler)
    with pytest.raises(CaseActionNotAllowed, match="手机号后四位不正确"):
        case_rate(
            case=case, actor=None, version=case.version, rating="satisfied", phone_last4="0000"
        )
    case = case_rate(
        case=case, actor=None, version=case.version, rating="satisfied", phone_last4="8000"
    )
    assert case.state == Case.State.CLOSED
    assert case.events.last().actor is None


def test_it_closes_unrated_replies_after_the_rating_window(personas, town_handler):
    assert CaseSettings.load().rating_days == 15
    case = _reply(handling_by_town(personas, town_handler), town_handler)  # 09-15 10:00
    fresh = _reply(handling_by_town(personas, town_handler), town_handler)
    with time_machine.travel(at(2026, 9, 30, 9), tick=False):
        with pytest.raises(ValidationError, match="答复后未满15日"):
            case_close_unrated(case=case, version=case.version)
        call_command("close_unrated_cases", stdout=io.StringIO())
        case.refresh_from_db()
        assert case.state == Case.State.REPLIED
    with time_machine.travel(at(2026, 9, 30, 10), tick=False):
        call_command("close_unrated_cases", stdout=io.StringIO())
    case.refresh_from_db()
    fresh.refresh_from_db()
    assert case.state == fresh.state == Case.State.CLOSED
    assert case.rating is None
    event = case.events.last()
    assert (event.action, event.actor, event.to_state) == ("close_unrated", None, "closed")


def test_it_refuses_to_let_a_person_close_unrated(personas, town_handler):
    case = _reply(handling_by_town(personas, town_handler), town_handler)
    with pytest.raises(CaseActionNotAllowed, match="由系统自动执行"):
        case_close_unrated(case=case, actor=personas.town_clerk, version=case.version)


def test_it_follows_the_admins_rating_window(personas, town_handler):
    CaseSettings.objects.filter(pk=1).update(rating_days=3)
    case = _reply(handling_by_town(personas, town_handler), town_handler)
    with time_machine.travel(at(2026, 9, 18, 11), tick=False):
        case = case_close_unrated(case=case, version=case.version)
    assert case.state == Case.State.CLOSED
    assert Assignment.objects.filter(case=case, state="replied").count() == 1
