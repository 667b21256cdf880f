"""Assign, escalate, send down and return: routing by jurisdiction level."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from renda.cases.models import Assignment, Case
from renda.cases.services import (
    CaseActionNotAllowed,
    case_assign,
    case_escalate,
    case_return,
    case_send_down,
    case_sign,
)
from renda.cases.tests.helpers import assigned_to_town, escalated, tier
from renda.workcal.calendar import add_working_days


def test_it_escalates_level_by_level_to_the_top(personas):
    case = escalated(personas)
    assert case.congress == personas.units["county"]
    assert case.state == Case.State.ACCEPTED
    event = case.events.last()
    assert event.action == "escalate"
    assert event.data == {
        "from_congress": personas.units["town"].pk,
        "to_congress": personas.units["county"].pk,
    }
    # The street committee no longer owns it; the county does.
    with pytest.raises(CaseActionNotAllowed):
        case_escalate(case=case, actor=personas.town_clerk, version=case.version)
    case = case_escalate(case=case, actor=personas.county_clerk, version=case.version)
    assert case.congress == personas.units["city"]
    with pytest.raises(ValidationError, match="已是最高一级人大，不能上报"):
        case_escalate(case=case, actor=personas.city_clerk, version=case.version)


def test_it_sends_down_to_a_town_congress_of_the_place(personas):
    case = escalated(personas)
    case = case_send_down(
        case=case,
        actor=personas.county_clerk,
        version=case.version,
        to_congress=personas.units["town"],
        note="属街道事权",
    )
    assert case.congress == personas.units["town"]
    assert case.events.last().action == "send_down"


def test_it_refuses_to_send_down_anywhere_but_below_and_in_place(personas):
    case = escalated(personas)
    kwargs = {"case": case, "actor": personas.county_clerk, "version": case.version}
    with pytest.raises(ValidationError, match="只能下转给“东湖区人大常委会”的下级人大"):
        case_send_down(**kwargs, to_congress=personas.units["city"])
    with pytest.raises(ValidationError, match="只能下转给"):
        case_send_down(**kwargs, to_congress=personas.units["other_town"])
    with pytest.raises(ValidationError, match="不是人大机构"):
        case_send_down(**kwargs, to_congress=personas.units["town_gov"])
    city_case = escalated(personas)
    city_case = case_escalate(
        case=city_case, actor=personas.county_clerk, version=city_case.version
    )
    with pytest.raises(ValidationError, match="不在“西山镇人大主席团”的辖区内"):
        case_send_down(
            case=city_case,
            actor=personas.city_clerk,
            version=city_case.version,
            to_congress=personas.units["other_town"],
        )


def test_it_assigns_a_lead_and_co_units_with_the_tiers_deadline(personas, county_unit):
    case = escalated(personas)
    case = case_assign(
        case=case,
        actor=personas.county_clerk,
        version=case.version,
        lead_unit=county_unit,
        co_units=[personas.units["town_gov"]],
        urgency=tier("一般"),
    )
    expected = add_working_days(dt.date(2026, 9, 15), 15)
    assert case.state == Case.State.ASSIGNED
    assert case.deadline == expected == dt.date(2026, 10, 12)  # over the National Day break
    rows = list(case.assignments.values_list("unit__name", "role", "state", "deadline"))
    assert rows == [
        ("东湖区住房和城乡建设局", "lead", "assigned", expected),
        ("东湖街道办事处", "co", "assigned", expected),
    ]


def test_it_refuses_units_that_are_not_handling_units_or_not_in_place(personas):
    case = escalated(personas)
    kwargs = {"case": case, "actor": personas.county_clerk, "version": case.version}
    with pytest.raises(ValidationError, match="不是在用的承办单位"):
        case_assign(**kwargs, lead_unit=personas.units["town"], urgency=tier("一般"))
    with pytest.raises(ValidationError, match="不在“东湖区人大常委会”的辖区内"):
        case_assign(**kwargs, lead_unit=personas.units["city_dept"], urgency=tier("一般"))
    with pytest.raises(ValidationError, match="协办单位不能与主办单位相同"):
        case_assign(
            **kwargs,
            lead_unit=personas.units["town_gov"],
            co_units=[personas.units["town_gov"]],
            urgency=tier("一般"),
        )
    case.refresh_from_db()
    assert case.state == Case.State.ACCEPTED and not case.assignments.exists()


def test_it_keeps_one_active_lead_per_case_in_the_database(personas):
    case = assigned_to_town(personas)
    lead = case.assignments.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            case=case,
            unit=personas.units["other_town_gov"],
            role=Assignment.Role.LEAD,
            deadline=lead.deadline,
            assigned_at=lead.assigned_at,
        )


def test_it_returns_a_case_for_rerouting(personas, town_handler, county_unit):
    case = assigned_to_town(personas)
    case = case_sign(case=case, actor=town_handler, version=case.version)
    with pytest.raises(ValidationError, match="请填写退回理由"):
        case_return(case=case, actor=town_handler, version=case.version, reason="")
    case = case_return(case=case, actor=town_handler, version=case.version, reason="属区级部门职责")
    assert case.state == Case.State.ACCEPTED
    assert case.deadline is None
    lead = case.assignments.get()
    assert lead.state == Assignment.State.RETURNED
    assert lead.returned_reason == "属区级部门职责"
    event = case.events.last()
    assert (event.action, event.from_state, event.to_state) == ("return", "handling", "accepted")
    # Back with the street committee, which escalates it; the county assigns its own unit.
    case = case_escalate(case=case, actor=personas.town_clerk, version=case.version)
    case = case_assign(
        case=case,
        actor=personas.county_clerk,
        version=case.version,
        lead_unit=county_unit,
        urgency=tier("紧急"),
    )
    assert case.state == Case.State.ASSIGNED
    assert case.deadline == dt.date(2026, 9, 16)
    # The unit that returned it can no longer act on it.
    with pytest.raises(CaseActionNotAllowed):
        case_sign(case=case, actor=town_handler, version=case.version)
