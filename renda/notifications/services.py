"""Telling people about case changes: the in-app message box, email and SMS.

`notify_case_change` runs after the transaction of a case change has committed (the cases
app's `case_follow_up` task, queued with the change, calls it). From the case and the action it
decides who must hear of the change — the person who raised it, the clerks of the congress
that owns it, the handlers of the units handling it, the leader who leads it — writes their
messages in one INSERT, emails those who have an address, and texts where a text is due.

The change is already committed when this runs, so nothing here raises into the request: a
failure is logged and the change stands. Message bodies hold titles, codes, dates and what
staff wrote for the recipient (a reason); never a citizen's name, phone or address.
"""

import logging
import re
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mass_mail
from django.db.models import Q
from django.utils import timezone

from renda.accounts.models import User
from renda.cases.models import MOBILE_PHONE_REGEX, Assignment, Case, CaseEvent
from renda.cases.workflow import Action
from renda.notifications.models import Message
from renda.notifications.sms import get_sms_sender
from renda.org.models import Membership, OrgUnit
from renda.org.roles import Role

logger = logging.getLogger("renda.notifications")


class Party(StrEnum):
    # The submitter's account and the account of the deputy who collected the case.
    RAISER = "raiser"
    # Clerks of the congress that owns the case now, and of that congress's committees.
    CLERKS = "clerks"
    # Handlers of the units handling the case (its active assignments, else the last round).
    HANDLERS = "handlers"
    # The leader who leads the case (领办).
    LEADER = "leader"


@dataclass(frozen=True)
class Notice:
    party: Party
    kind: str
    title: str
    body: str


A = Action
K = Message.Kind
P = Party
_CASE = "“{title}”（{code}）"

# Who hears of which change, and what they are told. The placeholders are filled from the
# case and the event (see `_context`). The first notice a user qualifies for wins.
PLAN: dict[str, tuple[Notice, ...]] = {
    A.SUBMIT: (
        Notice(P.CLERKS, K.TODO, "新民情待受理", _CASE + "已提交至{congress}，请及时受理。"),
    ),
    A.ACCEPT: (Notice(P.RAISER, K.PROGRESS, "您反映的事项已受理", _CASE + "已由{congress}受理。"),),
    A.REJECT: (
        Notice(P.RAISER, K.PROGRESS, "您反映的事项不予受理", _CASE + "不予受理。理由：{note}"),
    ),
    A.MERGE: (
        Notice(P.RAISER, K.PROGRESS, "您反映的事项已合并办理", _CASE + "已与同类事项合并办理。"),
    ),
    A.ASSIGN: (
        Notice(
            P.HANDLERS,
            K.TODO,
            "新交办事项待签收",
            _CASE + "已交贵单位办理，办理期限{deadline}，请及时签收。",
        ),
        Notice(P.RAISER, K.PROGRESS, "您反映的事项已交办", _CASE + "已交承办单位办理。"),
    ),
    A.ESCALATE: (
        Notice(P.CLERKS, K.TODO, "上报事项待交办", _CASE + "已上报至{congress}，请及时交办。"),
    ),
    A.SEND_DOWN: (
        Notice(P.CLERKS, K.TODO, "下转事项待交办", _CASE + "已下转至{congress}，请及时交办。"),
    ),
    A.SIGN: (Notice(P.CLERKS, K.PROGRESS, "承办单位已签收", _CASE + "已由承办单位签收办理。"),),
    A.RETURN: (
        Notice(
            P.CLERKS, K.TODO, "承办单位退回事项", _CASE + "被承办单位退回，请重新交办。理由：{note}"
        ),
    ),
    A.EXTEND_REQUEST: (
        Notice(
            P.CLERKS,
            K.TODO,
            "延期申请待审批",
            _CASE + "的承办单位申请延期{days}个工作日。理由：{note}",
        ),
    ),
    A.EXTEND_APPROVE: (
        Notice(P.HANDLERS, K.PROGRESS, "延期申请已批准", _CASE + "的办理期限延至{deadline}。"),
    ),
    A.EXTEND_REFUSE: (
        Notice(
            P.HANDLERS,
            K.PROGRESS,
            "延期申请未获批准",
            _CASE + "请在原办理期限{deadline}前办结。{note}",
        ),
    ),
    A.REPLY: (
        Notice(
            P.RAISER,
            K.RATE,
            "您反映的事项已答复，请评价",
            _CASE + "已答复（{result}），请查看答复并评价。",
        ),
        Notice(P.CLERKS, K.PROGRESS, "事项已答复", _CASE + "已由承办单位答复（{result}）。"),
    ),
    A.RATE: (
        Notice(P.HANDLERS, K.PROGRESS, "事项评价：{rating}", _CASE + "评价为“{rating}”，已办结。"),
        Notice(P.CLERKS, K.PROGRESS, "事项评价：{rating}", _CASE + "评价为“{rating}”，已办结。"),
    ),
    A.REOPEN: (
        Notice(
            P.HANDLERS,
            K.TODO,
            "评价不满意，请重新办理",
            _CASE + "评价为“不满意”，请重新办理，办理期限{deadline}。",
        ),
        Notice(P.CLERKS, K.PROGRESS, "评价不满意，已重办", _CASE + "评价为“不满意”，已转重办。"),
    ),
    A.CLOSE_UNRATED: (
        Notice(P.RAISER, K.PROGRESS, "您反映的事项已办结", _CASE + "答复后逾期未评价，已办结。"),
        Notice(P.HANDLERS, K.PROGRESS, "事项逾期未评价办结", _CASE + "逾期未评价，已办结。"),
        Notice(P.CLERKS, K.PROGRESS, "事项逾期未评价办结", _CASE + "逾期未评价，已办结。"),
    ),
    A.SUPERVISE: (
        Notice(P.LEADER, K.SUPERVISE, "领办事项：{supervision}", _CASE + "{supervision_note}"),
        Notice(P.HANDLERS, K.SUPERVISE, "督办：{supervision}", _CASE + "{supervision_note}"),
    ),
    A.REMIND: (
        Notice(
            P.HANDLERS,
            K.REMIND,
            "催办：事项已超期",
            _CASE + "已超过办理期限（{deadline}），请尽快办理并答复。",
        ),
    ),
    A.CONVERT_TO_AGENDA: (
        Notice(P.CLERKS, K.PROGRESS, "事项已转为工作议题", _CASE + "已转为工作议题“{note}”。"),
        Notice(P.LEADER, K.PROGRESS, "事项已转为工作议题", _CASE + "已转为工作议题“{note}”。"),
    ),
}

# Texts cost money and interrupt: only the person asked to rate, and units being chased.
SMS_TO_SUBMITTER = frozenset({A.REPLY})
SMS_TO_HANDLERS = frozenset({A.REMIND})
SMS_TEXT = {
    A.REPLY: "您反映的“{title}”（编号{code}）已答复，请凭编号查看答复并评价。",
    A.REMIND: "“{title}”（编号{code}）已超过办理期限，请尽快办理并答复。",
}


def case_link(case: Case) -> str:
    return f"/cases/{case.code}/"


def notify_case_change(case_id: int, action: str) -> list[Message]:
    """Tell every party of one committed case change; returns the messages written."""
    try:
        return _notify_case_change(case_id, action)
    except Exception:
        logger.exception("case %s: notifying “%s” failed", case_id, action)
        return []


def _notify_case_change(case_id: int, action: str) -> list[Message]:
    plan = PLAN.get(action)
    if not plan:
        return []
    case = Case.objects.select_related(
        "congress", "submitter", "collected_by__user", "lead_leader"
    ).get(pk=case_id)
    event = CaseEvent.objects.filter(case_id=case_id, action=action).order_by("-pk").first()
    parties = _parties(case, {notice.party for notice in plan})
    context = _context(case, event)
    actor_id = event.actor_id if event is not None else None
    seen: set[int] = set()
    messages = []
    for notice in plan:
        for user in parties.get(notice.party, ()):
            if user.pk == actor_id or user.pk in seen:
                continue
            seen.add(user.pk)
            messages.append(
                Message(
                    recipient=user,
                    kind=notice.kind,
                    title=notice.title.format(**context)[:200],
                    body=notice.body.format(**context)[:2000],
                    link=case_link(case),
                    case=case,
                    event=event,
                )
            )
    Message.objects.bulk_create(messages)
    _email(messages)
    _text(case, action, context, handlers=parties.get(P.HANDLERS, []))
    return messages


def _parties(case: Case, wanted: set[Party]) -> dict[Party, list[User]]:
    found: dict[Party, list[User]] = {party: [] for party in wanted}
    if P.RAISER in wanted:
        raisers = [case.submitter, case.collected_by.user if case.collected_by else None]
        found[P.RAISER] = [u for u in raisers if u is not None and u.is_active]
    if P.LEADER in wanted and case.lead_leader is not None and case.lead_leader.is_active:
        found[P.LEADER] = [case.lead_leader]
    staff = Q(pk__in=[])
    if P.CLERKS in wanted:
        congress = case.congress
        # A committee's staff act for the congress it belongs to (see workflow.py).
        staff |= Q(role=Role.CONGRESS_CLERK) & (
            Q(unit=congress)
            | Q(
                unit__kind=OrgUnit.Kind.COMMITTEE,
                unit__path__startswith=congress.path,
                unit__depth=congress.depth + 1,
            )
        )
    if P.HANDLERS in wanted:
        staff |= Q(role=Role.HANDLER, unit_id__in=_handling_unit_ids(case))
    if P.CLERKS in wanted or P.HANDLERS in wanted:
        memberships = (
            Membership.objects.filter(staff, is_active=True, user__is_active=True)
            .select_related("user")
            .order_by("pk")
        )
        for membership in memberships:
            party = P.HANDLERS if membership.role == Role.HANDLER else P.CLERKS
            found[party].append(membership.user)
    return found


def _handling_unit_ids(case: Case) -> list[int]:
    """The units working on the case now; once they have replied (a rating, closing), the
    units of the last round, which did the work being rated."""
    rows = list(case.assignments.values_list("unit_id", "state", "round"))
    active = [unit for unit, state, _ in rows if state in Assignment.ACTIVE_STATES]
    if active:
        return active
    replied = [(round_, unit) for unit, state, round_ in rows if state == Assignment.State.REPLIED]
    if not replied:
        return []
    last = max(round_ for round_, _ in replied)
    return [unit for round_, unit in replied if round_ == last]


def _date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else "（未定）"


def _context(case: Case, event: CaseEvent | None) -> dict[str, str]:
    data = event.data if event is not None else {}
    supervision = case.get_supervision_display()
    if case.supervision == Case.Supervision.NONE:
        supervision_note = "已解除督办。"
    else:
        supervision_note = f"已列为{supervision}事项，请加快办理。"
    return {
        "code": case.code,
        "title": case.title,
        "congress": case.congress.name,
        "deadline": _date(case.deadline),
        "note": event.note if event is not None else "",
        "days": str(data.get("days", "")),
        "result": case.get_result_class_display() or "",
        "rating": case.get_rating_display() or "",
        "supervision": supervision if case.supervision != Case.Supervision.NONE else "已解除",
        "supervision_note": supervision_note,
    }


def _email(messages: list[Message]) -> None:
    site = getattr(settings, "RENDA_SITE_URL", "").rstrip("/")
    mails = [
        (m.title, f"{m.body}\n\n查看：{site}{m.link}", None, [m.recipient.email])
        for m in messages
        if m.recipient.email
    ]
    if not mails:
        return
    try:
        send_mass_mail(mails, fail_silently=False)
    except Exception:
        logger.exception("email of %d notifications failed", len(mails))


def _text(case: Case, action: str, context: dict[str, str], *, handlers: list[User]) -> None:
    phones: list[str] = []
    if action in SMS_TO_SUBMITTER:
        phones.append(case.submitter_phone or (case.submitter.phone if case.submitter else ""))
    if action in SMS_TO_HANDLERS:
        phones += [user.phone for user in handlers]
    phones = list(dict.fromkeys(p for p in phones if re.fullmatch(MOBILE_PHONE_REGEX, p or "")))
    if not phones:
        return
    text = SMS_TEXT[action].format(**context)
    try:
        sender = get_sms_sender()
    except Exception:
        logger.exception("SMS sender could not be loaded")
        return
    for phone in phones:
        try:
            sender.send(phone, text)
        except Exception:
            logger.exception("SMS for case %s failed", case.code)


def message_mark_read(*, message: Message, actor: User) -> Message:
    """The recipient has opened the message; reading it twice keeps the first time."""
    if message.recipient_id != actor.pk:
        raise PermissionDenied("只能标记自己的消息。")
    if message.read_at is None:
        now = timezone.now()
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=now)
        message.read_at = now
    return message


def message_mark_all_read(*, actor: User) -> int:
    """全部标为已读: returns how many were unread."""
    return Message.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
