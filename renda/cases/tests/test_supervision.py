"""督办 / 重点督办 / 领办, 催办 (by hand and by the scheduler) and 转为工作议题."""

import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command

from renda.cases.models import Case, CaseEvent
from renda.cases.services import (
    CaseActionNotAllowed,
    case_convert_to_agenda,
    case_remind,
    case_supervise,
)
from renda.cases.tests.helpers import assigned_to_town, at, handling_by_town


def test_it_lets_a_clerk_mark_plain_supervision(personas, town_handler):
    case = handling_by_town(personas, town_handler)
    case = case_supervise(
        case=case, actor=personas.town_clerk, version=case.version, level="supervised"
    )
    assert case.supervision == Case.Supervision.SUPERVISED
    event = case.events.last()
    assert (event.action, event.from_state, event.to_state) == ("supervise", "handling", "handling")
    with pytest.raises(ValidationError, match="督办设置没有变化"):
        case_supervise(
            case=case, actor=personas.town_clerk, version=case.version, level="supervised"
        )
    with pytest.raises(CaseActionNotAllowed, match="您无权"):
        case_supervise(
            case=case, actor=personas.other_town_clerk, version=case.version, level="none"
        )


def test_it_leaves_key_supervision_and_leading_to_leaders(personas, town_handler):
    case = handling_by_town(personas, town_handler)
    with pytest.raises(CaseActionNotAllowed, match="重点督办和领办须由具有重点督办权限的领导决定"):
        case_supervise(case=case, actor=personas.town_clerk, version=case.version, level="key")
    with pytest.raises(ValidationError, match="不是领导，不能领办"):
        case_supervise(
            case=case,
            actor=personas.leader,
            version=case.version,
            level="key",
            lead_leader=personas.town_clerk,
        )
    case = case_supervise(
        case=case,
        actor=personas.leader,
        version=case.version,
        level="key",
        lead_leader=personas.leader,
        note="列入常委会重点督办",
    )
    assert case.supervision == Case.Supervision.KEY
    assert case.lead_leader == personas.leader
    # A clerk may not lift what a leader decided.
    with pytest.raises(CaseActionNotAllowed):
        case_supervise(
            case=case,
            actor=personas.town_clerk,
            version=case.version,
            level="supervised",
            lead_leader=personas.leader,
        )


def test_it_reminds_by_hand_only_when_overdue(personas, town_handler, clock):
    case = handling_by_town(personas, town_handler, urgency="紧急")  # deadline 09-16
    with pytest.raises(ValidationError, match="尚未超过办理期限"):
        case_remind(case=case, actor=personas.town_clerk, version=case.version)
    clock.move_to(at(2026, 9, 17))
    case = case_remind(case=case, actor=personas.leader, version=case.version, note="请加快办理")
    event = case.events.last()
    assert (event.action, event.actor, event.data["overdue_working_days"]) == (
        "remind",
        personas.leader,
        1,
    )
    with pytest.raises(CaseActionNotAllowed):
        case_remind(case=case, actor=town_handler, version=case.version)


def test_the_scheduler_reminds_each_missed_deadline_once_on_a_working_day(
    personas, town_handler, clock
):
    overdue = assigned_to_town(personas, urgency="紧急")  # deadline 09-16, not yet signed
    on_time = handling_by_town(personas, town_handler)  # deadline 10-12
    out = io.StringIO()

    clock.move_to(at(2026, 9, 16, 18))  # the deadline day itself: not late yet
    call_command("remind_overdue_cases", stdout=out)
    assert not CaseEvent.objects.filter(action="remind").exists()

    clock.move_to(at(2026, 9, 17, 8))  # the working day after
    call_command("remind_overdue_cases", stdout=out)
    call_command("remind_overdue_cases", stdout=out)  # run twice: still one reminder
    reminders = CaseEvent.objects.filter(action="remind")
    assert list(reminders.values_list("case_id", "actor")) == [(overdue.pk, None)]
    assert "催办 1 件" in out.getvalue()
    on_time.refresh_from_db()
    assert on_time.last_reminded_at is None


def test_the_scheduler_waits_for_a_working_day(personas):
    with_deadline_before_holiday = assigned_to_town(personas, urgency="紧急")
    assert with_deadline_before_holiday.deadline.isoformat() == "2026-09-16"
    out = io.StringIO()
    with time_machine.travel(at(2026, 10, 3), tick=False):
        call_command("remind_overdue_cases", stdout=out)
    assert "不是工作日" in out.getvalue()
    assert not CaseEvent.objects.filter(action="remind").exists()


def test_it_turns_a_case_into_a_committee_work_item(personas, town_handler):
    case = handling_by_town(personas, town_handler)
    with pytest.raises(ValidationError, match="请填写议题名称"):
        case_convert_to_agenda(case=case, actor=personas.leader, version=case.version, title="")
    case = case_convert_to_agenda(
        case=case, actor=personas.leader, version=case.version, title="城区路灯管养机制专题调研"
    )
    assert case.agenda_item == "城区路灯管养机制专题调研"
    assert case.state == Case.State.HANDLING
    with pytest.raises(ValidationError, match="已转为工作议题"):
        case_convert_to_agenda(
            case=case, actor=personas.town_clerk, version=case.version, title="再转一次"
        )
