"""The handling unit: sign, extensions around holidays, reply."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from renda.cases.models import Assignment, Case
from renda.cases.services import (
    CaseActionNotAllowed,
    case_extend_approve,
    case_extend_refuse,
    case_extend_request,
    case_reply,
    case_sign,
)
from renda.cases.tests.helpers import assigned_to_town, at, handling_by_town
from renda.workcal.calendar import add_working_days


def test_it_lets_only_the_lead_units_handler_sign(personas, town_handler):
    case = assigned_to_town(personas)
    with pytest.raises(CaseActionNotAllowed, match="您无权对该事项执行“签收”操作"):
        case_sign(case=case, actor=personas.unit_handler, version=case.version)
    with pytest.raises(CaseActionNotAllowed):
        case_sign(case=case, actor=personas.town_clerk, version=case.version)
    case = case_sign(case=case, actor=town_handler, version=case.version)
    assert case.state == Case.State.HANDLING
    lead = case.assignments.get()
    assert lead.state == Assignment.State.SIGNED
    assert lead.signed_at == at(2026, 9, 15)
    event = case.events.last()
    assert (event.action, event.from_state, event.to_state, event.actor) == (
        "sign",
        "assigned",
        "handling",
        town_handler,
    )


def test_it_moves_the_deadline_over_the_national_day_holiday(personas, town_handler):
    with time_machine.travel(at(2026, 9, 29), tick=False):
        case = handling_by_town(personas, town_handler, urgency="紧急")
    assert case.deadline == dt.date(2026, 9, 30)
    # On the deadline day itself the unit may still ask.
    with time_machine.travel(at(2026, 9, 30, 17), tick=False):
        case = case_extend_request(
            case=case, actor=town_handler, version=case.version, days=3, reason="需协调供电公司"
        )
        assert case.assignments.get().state == Assignment.State.EXTENSION_REQUESTED
        with pytest.raises(ValidationError, match="已有待审批的延期申请"):
            case_extend_request(
                case=case, actor=town_handler, version=case.version, days=1, reason="再延"
            )
        with pytest.raises(CaseActionNotAllowed):
            case_extend_approve(case=case, actor=town_handler, version=case.version)
        case = case_extend_approve(case=case, actor=personas.town_clerk, version=case.version)
    # 10-01..07 off, 10-08 and 10-09 worked, Saturday 10-10 is a make-up working day.
    assert case.deadline == add_working_days(dt.date(2026, 9, 30), 3) == dt.date(2026, 10, 10)
    lead = case.assignments.get()
    assert (lead.deadline, lead.state) == (dt.date(2026, 10, 10), Assignment.State.SIGNED)
    assert case.events.last().data == {"days": 3, "from": "2026-09-30", "to": "2026-10-10"}


def test_it_refuses_an_extension_after_the_deadline(personas, town_handler):
    with time_machine.travel(at(2026, 9, 29), tick=False):
        case = handling_by_town(personas, town_handler, urgency="紧急")
    with (
        time_machine.travel(at(2026, 10, 8), tick=False),
        pytest.raises(ValidationError, match="已超过办理期限，不能申请延期"),
    ):
        case_extend_request(
            case=case, actor=town_handler, version=case.version, days=3, reason="来不及"
        )


def test_it_refuses_bad_extension_days(personas, town_handler):
    case = handling_by_town(personas, town_handler)
    with pytest.raises(ValidationError, match="延期天数应为 1 到 30 个工作日"):
        case_extend_request(case=case, actor=town_handler, version=case.version, days=0, reason="x")


def test_it_keeps_the_deadline_when_an_extension_is_refused(personas, town_handler):
    case = handling_by_town(personas, town_handler)
    deadline = case.deadline
    case = case_extend_request(
        case=case, actor=town_handler, version=case.version, days=5, reason="材料未齐"
    )
    with pytest.raises(CaseActionNotAllowed):
        case_extend_refuse(case=case, actor=personas.other_town_clerk, version=case.version)
    case = case_extend_refuse(
        case=case, actor=personas.town_clerk, version=case.version, note="期限内可完成"
    )
    assert case.deadline == deadline
    assert case.assignments.get().state == Assignment.State.SIGNED
    with pytest.raises(ValidationError, match="没有待审批的延期申请"):
        case_extend_approve(case=case, actor=personas.town_clerk, version=case.version)


def test_it_needs_a_result_class_and_a_reply(personas, town_handler):
    case = handling_by_town(personas, town_handler)
    with pytest.raises(ValidationError, match="请选择办理结果"):
        case_reply(case=case, actor=town_handler, version=case.version, result_class="", reply="好")
    with pytest.raises(ValidationError, match="请填写答复内容"):
        case_reply(
            case=case, actor=town_handler, version=case.version, result_class="solved", reply=""
        )
    with pytest.raises(ValidationError, match="答复内容不能超过5000字"):
        case_reply(
            case=case,
            actor=town_handler,
            version=case.version,
            result_class="solved",
            reply="字" * 5001,
        )
    case.refresh_from_db()
    assert case.state == Case.State.HANDLING and case.version == 4


def test_it_replies_and_waits_for_the_rating(personas, town_handler):
    case = handling_by_town(personas, town_handler)
    case = case_reply(
        case=case,
        actor=town_handler,
        version=case.version,
        result_class=Case.ResultClass.SOLVED,
        reply="已更换路灯三盏。",
    )
    assert case.state == Case.State.REPLIED
    assert case.replied_at == at(2026, 9, 15)
    assert case.assignments.get().state == Assignment.State.REPLIED
    event = case.events.last()
    assert event.data["on_time"] is True
    assert (event.from_state, event.to_state) == ("handling", "replied")
