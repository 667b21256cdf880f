"""notify_case_change: who hears of which case change, by message box, email and SMS."""

import logging

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.test import override_settings

from renda.cases.services import case_escalate, case_rate, case_remind, case_reply
from renda.cases.tests.helpers import accepted, assigned_to_town, at, handling_by_town, submit
from renda.notifications.models import Message
from renda.notifications.services import notify_case_change


def _inbox(user) -> list[Message]:
    return list(Message.objects.filter(recipient=user).order_by("pk"))


class ExplodingSender:
    def send(self, phone: str, text: str) -> None:
        raise ConnectionError("短信网关不可达")


class ExplodingMailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionError("邮件服务器不可达")


def test_it_notifies_the_town_clerks_of_a_submit(personas, committed):
    with committed():
        case = submit(personas)
    [message] = _inbox(personas.town_clerk)
    assert message.kind == Message.Kind.TODO
    assert message.title == "新民情待受理"
    assert case.code in message.body and "东湖街道人大工委" in message.body
    assert message.link == f"/cases/{case.code}/"
    assert message.case == case and message.event.action == "submit"
    # Nobody else: not the county above, not the town next door, not the citizen.
    assert Message.objects.count() == 1


def test_it_notifies_the_handlers_of_an_assigned_unit(personas, town_handler, committed):
    with committed():
        case = assigned_to_town(personas)
    [message] = _inbox(town_handler)
    assert (message.kind, message.title) == (Message.Kind.TODO, "新交办事项待签收")
    assert "2026年10月" in message.body  # the deadline, 15 working days on
    assert _inbox(personas.unit_handler) == []
    # The citizen hears that it was accepted and then assigned; the acting clerk hears nothing
    # of their own actions.
    assert [m.title for m in _inbox(personas.citizen)] == [
        "您反映的事项已受理",
        "您反映的事项已交办",
    ]
    assert [m.title for m in _inbox(personas.town_clerk)] == ["新民情待受理"]
    assert [m.to for m in mail.outbox] == [["handler@example.cn"]]
    assert case.code in mail.outbox[0].body


def test_it_keeps_the_citizens_name_and_phone_out_of_handler_messages(
    personas, town_handler, committed
):
    with committed():
        case = assigned_to_town(
            personas, actor=None, submitter_name="王小明", submitter_phone="13812345678"
        )
    [message] = _inbox(town_handler)
    text = message.title + message.body + mail.outbox[-1].body
    assert case.code in text
    assert "王小明" not in text and "13812345678" not in text and "5678" not in text


def test_it_asks_the_citizen_to_rate_a_reply(personas, town_handler, committed, caplog):
    citizen = personas.citizen
    citizen.email = "li@example.cn"
    citizen.phone = "13812345678"
    citizen.save(update_fields=["email", "phone"])
    case = handling_by_town(personas, town_handler)
    mail.outbox.clear()
    with caplog.at_level(logging.INFO, logger="renda.sms"), committed():
        case_reply(
            case=case,
            actor=town_handler,
            version=case.version,
            result_class="solved",
            reply="已更换路灯。",
        )
    [message] = _inbox(citizen)
    assert (message.kind, message.title) == (Message.Kind.RATE, "您反映的事项已答复，请评价")
    assert "已解决" in message.body
    assert [m.title for m in _inbox(personas.town_clerk)][-1] == "事项已答复"
    assert _inbox(town_handler) == []
    assert sorted(m.to[0] for m in mail.outbox) == ["li@example.cn"]
    assert mail.outbox[0].subject == "您反映的事项已答复，请评价"
    [sms] = [r for r in caplog.records if r.name == "renda.sms"]
    assert "138****5678" in sms.getMessage() and case.code in sms.getMessage()
    assert "13812345678" not in sms.getMessage()


def test_it_texts_the_phone_an_anonymous_citizen_gave(personas, town_handler, committed, caplog):
    case = handling_by_town(
        personas, town_handler, actor=None, submitter_name="王小明", submitter_phone="13812345678"
    )
    with caplog.at_level(logging.INFO, logger="renda.sms"), committed():
        case_reply(
            case=case,
            actor=town_handler,
            version=case.version,
            result_class="planned",
            reply="列入计划",
        )
    assert [r.name for r in caplog.records if "138****5678" in r.getMessage()] == ["renda.sms"]


def test_it_sends_nothing_when_the_change_rolls_back(personas, committed):
    with committed() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        submit(personas)
        raise RuntimeError("rolled back")
    assert callbacks == []
    assert Message.objects.count() == 0
    assert mail.outbox == []


def test_it_sends_only_after_a_real_commit(committed_db, personas):
    with pytest.raises(RuntimeError), transaction.atomic():
        submit(personas)
        raise RuntimeError("rolled back")
    assert Message.objects.count() == 0
    submit(personas)  # autocommit: the hook runs as the service's transaction commits
    assert [m.recipient for m in Message.objects.all()] == [personas.town_clerk]


def test_it_notifies_the_clerks_of_the_congress_a_case_is_escalated_to(personas, committed):
    case = accepted(personas)
    with committed():
        case_escalate(case=case, actor=personas.town_clerk, version=case.version)
    [message] = _inbox(personas.county_clerk)
    assert message.title == "上报事项待交办" and "东湖区人大常委会" in message.body
    assert _inbox(personas.town_clerk) == []


def test_it_tells_handlers_and_clerks_the_rating(personas, town_handler, committed):
    case = handling_by_town(personas, town_handler)
    case = case_reply(
        case=case, actor=town_handler, version=case.version, result_class="solved", reply="已修复"
    )
    with committed():
        case_rate(case=case, actor=personas.citizen, version=case.version, rating="satisfied")
    assert [m.title for m in _inbox(town_handler)] == ["事项评价：满意"]
    assert [m.title for m in _inbox(personas.town_clerk)] == ["事项评价：满意"]
    assert _inbox(personas.citizen) == []


def test_it_chases_the_handlers_by_message_and_text(
    personas, town_handler, committed, clock, caplog
):
    case = handling_by_town(personas, town_handler, urgency="紧急")  # deadline 09-16
    clock.move_to(at(2026, 9, 17))
    with caplog.at_level(logging.INFO, logger="renda.sms"), committed():
        case_remind(case=case, actor=None, version=case.version)
    [message] = _inbox(town_handler)
    assert (message.kind, message.title) == (Message.Kind.REMIND, "催办：事项已超期")
    assert [r.getMessage() for r in caplog.records if r.name == "renda.sms"] == [
        f"短信 → 137****1111：“湖滨路路灯不亮”（编号{case.code}）已超过办理期限，请尽快办理并答复。"
    ]


@override_settings(
    RENDA_SMS_BACKEND="renda.notifications.tests.test_services.ExplodingSender",
    EMAIL_BACKEND="renda.notifications.tests.test_services.ExplodingMailBackend",
)
def test_it_logs_failures_of_email_and_sms_and_keeps_the_messages(
    personas, town_handler, committed, clock, caplog
):
    case = handling_by_town(personas, town_handler, urgency="紧急")
    clock.move_to(at(2026, 9, 17))
    with caplog.at_level(logging.ERROR, logger="renda.notifications"), committed():
        case = case_remind(case=case, actor=None, version=case.version)
    assert case.last_reminded_at is not None
    assert [m.title for m in _inbox(town_handler)] == ["催办：事项已超期"]
    failures = [r.getMessage() for r in caplog.records if r.name == "renda.notifications"]
    assert any("email" in f for f in failures) and any("SMS" in f for f in failures)


def test_it_never_raises_into_the_request(personas, caplog):
    with caplog.at_level(logging.ERROR, logger="renda.notifications"):
        assert notify_case_change(999_999, "submit") == []
    assert "notifying" in caplog.text
