"""The case workflow: ONE transition table, and the check every service and page uses.

Each `Transition` says from which states an action may be taken, the state it leads to, the
roles that may take it, and the relation the actor must have with this case:

- `congress`: the actor's unit reaches the case's owning congress (their congress is it or
  above it; a committee's staff act for the congress the committee belongs to);
- `lead_unit`: the actor is a handler in the unit of the case's active lead assignment;
- `rater`: the actor raised the case (its submitter, or the user of the collecting deputy),
  or, without an account, gives the last four digits of the submitter's phone;
- `anyone`: intake, open to every user and to anonymous citizens;
- `system`: only the scheduler (actor None);
- `co_unit`: the actor is a handler in a unit with an active co (协办) assignment of the case.

A transition may be limited to some kinds of case: deputies' suggestions and motions
(代表建议/议案) are reviewed (立案) and assigned with their statutory deadline by the
actions of `SuggestionAction`, kept in `SUGGESTION_TRANSITIONS` beside the opinion loop's
table, and not by the opinion loop's accept, assign or extension.

A guard adds what depends on the case's data (a pending extension, a missed deadline); it
answers None or the Chinese reason the action cannot be taken now.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from renda.cases.models import Assignment, Case, CaseSettings
from renda.org.models import OrgUnit
from renda.org.roles import Role
from renda.org.scope import Grant, scope_for

S = Case.State


class CaseActionNotAllowed(PermissionDenied):
    """The actor may not take this action on this case now (role, relation or state)."""


class CaseConflict(Exception):
    """Someone changed the case since the actor loaded it."""

    message = "该事项已被他人处理（版本已变化），请刷新后重试。"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)


class Action(StrEnum):
    SUBMIT = "submit"
    ACCEPT = "accept"
    REJECT = "reject"
    MERGE = "merge"
    ASSIGN = "assign"
    ESCALATE = "escalate"
    SEND_DOWN = "send_down"
    SIGN = "sign"
    RETURN = "return"
    EXTEND_REQUEST = "extend_request"
    EXTEND_APPROVE = "extend_approve"
    EXTEND_REFUSE = "extend_refuse"
    REPLY = "reply"
    RATE = "rate"
    REOPEN = "reopen"
    CLOSE_UNRATED = "close_unrated"
    SUPERVISE = "supervise"
    REMIND = "remind"
    CONVERT_TO_AGENDA = "convert_to_agenda"


class SuggestionAction(StrEnum):
    """What only deputies' suggestions and motions go through (services in renda.suggestions)."""

    COSIGN = "cosign"
    REVIEW_ACCEPT = "review_accept"
    REVIEW_REJECT = "review_reject"
    SUGGESTION_ASSIGN = "suggestion_assign"
    CO_VIEW = "co_view"
    SUGGESTION_EXTEND = "suggestion_extend"
    PROMISE_KEEP = "promise_keep"
    MOTION_CONVERT = "motion_convert"


class Relation(StrEnum):
    ANYONE = "anyone"
    CONGRESS = "congress"
    LEAD_UNIT = "lead_unit"
    CO_UNIT = "co_unit"
    RATER = "rater"
    SYSTEM = "system"


Guard = Callable[[Case, Assignment | None], str | None]

ALL_KINDS = frozenset(Case.Kind.values)
SUGGESTION_KINDS = frozenset({Case.Kind.SUGGESTION, Case.Kind.MOTION})
# The opinion loop's own intake, routing and extensions: a suggestion is reviewed and assigned
# with its statutory deadline instead (SUGGESTION_TRANSITIONS).
OPINION_KINDS = ALL_KINDS - SUGGESTION_KINDS


@dataclass(frozen=True)
class Transition:
    action: Action | SuggestionAction
    label: str
    from_states: tuple[str, ...]
    # None: the state does not change (escalate, extend_*, supervise, remind …).
    to_state: str | None
    roles: frozenset[str]
    relation: Relation
    # Whether the action may run with no actor: the scheduler, or an anonymous citizen.
    without_actor: bool = False
    guard: Guard | None = None
    kinds: frozenset[str] = ALL_KINDS


# --- guards ---------------------------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def _is_overdue(case: Case, lead: Assignment | None) -> str | None:
    if case.deadline is None or case.deadline >= _today():
        return "该事项尚未超过办理期限，无需催办。"
    return None


def _may_request_extension(case: Case, lead: Assignment | None) -> str | None:
    if lead is None:
        return "该事项没有主办单位。"
    if lead.state == Assignment.State.EXTENSION_REQUESTED:
        return "已有待审批的延期申请。"
    # The deadline day itself still belongs to the unit: a request that day is in time.
    if lead.deadline < _today():
        return "已超过办理期限，不能申请延期。"
    return None


def _has_pending_extension(case: Case, lead: Assignment | None) -> str | None:
    if lead is None or lead.state != Assignment.State.EXTENSION_REQUESTED:
        return "没有待审批的延期申请。"
    return None


def _rating_window_passed(case: Case, lead: Assignment | None) -> str | None:
    days = CaseSettings.load().rating_days
    if case.replied_at is None or case.replied_at + dt.timedelta(days=days) > timezone.now():
        return f"答复后未满{days}日，不能自动办结。"
    return None


def _co_units_have_answered(case: Case, lead: Assignment | None) -> str | None:
    # A suggestion's co-units send their views to the lead unit, which then answers the deputy
    # (on the suggestion's page or the case page alike); an opinion's co-units just help.
    if case.kind not in SUGGESTION_KINDS:
        return None
    waiting = list(
        case.assignments.filter(
            role=Assignment.Role.CO, state__in=Assignment.ACTIVE_STATES
        ).values_list("unit__name", flat=True)
    )
    if waiting:
        return f"协办单位“{'、'.join(waiting)}”尚未提出协办意见，暂不能答复。"
    return None


def _not_yet_converted(case: Case, lead: Assignment | None) -> str | None:
    if case.agenda_item:
        return f"该事项已转为工作议题“{case.agenda_item}”。"
    return None


# --- the table ------------------------------------------------------------------------------

CLERKS = frozenset({Role.CONGRESS_CLERK, Role.SYSTEM_ADMIN})
SUPERVISORS = frozenset({Role.CONGRESS_CLERK, Role.LEADER, Role.SYSTEM_ADMIN})
HANDLERS = frozenset({Role.HANDLER})
# Whoever raised the case rates it, whatever else they are (a clerk may be a citizen too).
ANY_ROLE = frozenset(Role)
# Intake: citizens and deputies, and the staff who record what they were told (a station
# clerk on a reception day, a congress clerk from the hotline). Handling units and leaders
# do not file cases in their official seat.
INTAKE_ROLES = frozenset(
    {Role.CITIZEN, Role.DEPUTY, Role.STATION_CLERK, Role.CONGRESS_CLERK, Role.SYSTEM_ADMIN}
)

TRANSITIONS: dict[Action, Transition] = {
    t.action: t
    for t in (
        Transition(Action.SUBMIT, "提交", (), S.SUBMITTED, INTAKE_ROLES, Relation.ANYONE, True),
        Transition(
            Action.ACCEPT,
            "受理",
            (S.SUBMITTED,),
            S.ACCEPTED,
            CLERKS,
            Relation.CONGRESS,
            kinds=OPINION_KINDS,
        ),
        Transition(
            Action.REJECT,
            "不予受理",
            (S.SUBMITTED,),
            S.REJECTED,
            CLERKS,
            Relation.CONGRESS,
            kinds=OPINION_KINDS,
        ),
        Transition(
            Action.MERGE,
            "合并",
            (S.SUBMITTED, S.ACCEPTED),
            S.MERGED,
            CLERKS,
            Relation.CONGRESS,
            kinds=OPINION_KINDS,
        ),
        Transition(
            Action.ASSIGN,
            "交办",
            (S.ACCEPTED,),
            S.ASSIGNED,
            CLERKS,
            Relation.CONGRESS,
            kinds=OPINION_KINDS,
        ),
        Transition(
            Action.ESCALATE,
            "上报",
            (S.ACCEPTED,),
            None,
            CLERKS,
            Relation.CONGRESS,
            kinds=OPINION_KINDS,
        ),
        Transition(
            Action.SEND_DOWN,
            "下转",
            (S.ACCEPTED,),
            None,
            CLERKS,
            Relation.CONGRESS,
            kinds=OPINION_KINDS,
        ),
        Transition(Action.SIGN, "签收", (S.ASSIGNED,), S.HANDLING, HANDLERS, Relation.LEAD_UNIT),
        Transition(
            Action.RETURN,
            "退回",
            (S.ASSIGNED, S.HANDLING),
            S.ACCEPTED,
            HANDLERS,
            Relation.LEAD_UNIT,
        ),
        Transition(
            Action.EXTEND_REQUEST,
            "申请延期",
            (S.HANDLING,),
            None,
            HANDLERS,
            Relation.LEAD_UNIT,
            guard=_may_request_extension,
            kinds=OPINION_KINDS,
        ),
        Transition(
            Action.EXTEND_APPROVE,
            "批准延期",
            (S.HANDLING,),
            None,
            CLERKS,
            Relation.CONGRESS,
            guard=_has_pending_extension,
            kinds=OPINION_KINDS,
        ),
        Transition(
            Action.EXTEND_REFUSE,
            "不批准延期",
            (S.HANDLING,),
            None,
            CLERKS,
            Relation.CONGRESS,
            guard=_has_pending_extension,
            kinds=OPINION_KINDS,
        ),
        Transition(
            Action.REPLY,
            "答复",
            (S.HANDLING,),
            S.REPLIED,
            HANDLERS,
            Relation.LEAD_UNIT,
            guard=_co_units_have_answered,
        ),
        # One rating form, two transitions: 满意/基本满意 closes, 不满意 reopens (重办).
        Transition(Action.RATE, "评价", (S.REPLIED,), S.CLOSED, ANY_ROLE, Relation.RATER, True),
        Transition(Action.REOPEN, "重办", (S.REPLIED,), S.HANDLING, ANY_ROLE, Relation.RATER, True),
        Transition(
            Action.CLOSE_UNRATED,
            "逾期未评价办结",
            (S.REPLIED,),
            S.CLOSED,
            frozenset(),
            Relation.SYSTEM,
            True,
            guard=_rating_window_passed,
        ),
        Transition(
            Action.SUPERVISE,
            "督办",
            (S.ACCEPTED, S.ASSIGNED, S.HANDLING, S.REPLIED),
            None,
            SUPERVISORS,
            Relation.CONGRESS,
        ),
        Transition(
            Action.REMIND,
            "催办",
            Case.RUNNING_STATES,
            None,
            SUPERVISORS,
            Relation.CONGRESS,
            True,
            guard=_is_overdue,
        ),
        Transition(
            Action.CONVERT_TO_AGENDA,
            "转为工作议题",
            (S.ACCEPTED, S.ASSIGNED, S.HANDLING, S.REPLIED, S.CLOSED),
            None,
            SUPERVISORS,
            Relation.CONGRESS,
            guard=_not_yet_converted,
        ),
    )
}


# 代表建议/议案: the steps that only they take, on the same states, events and versions. Their
# services live in renda.suggestions; signing, the reply, the rating (满意 closes, 不满意
# reopens), supervision and reminders are the opinion loop's own transitions above.
SUGGESTION_TRANSITIONS: dict[SuggestionAction, Transition] = {
    t.action: t  # type: ignore[misc]
    for t in (
        # The co-signer's confirmation; the service checks that the actor is one.
        Transition(
            SuggestionAction.COSIGN,
            "联名确认",
            (S.SUBMITTED,),
            None,
            frozenset({Role.DEPUTY}),
            Relation.ANYONE,
            kinds=SUGGESTION_KINDS,
        ),
        Transition(
            SuggestionAction.REVIEW_ACCEPT,
            "立案",
            (S.SUBMITTED,),
            S.ACCEPTED,
            CLERKS,
            Relation.CONGRESS,
            kinds=frozenset({Case.Kind.SUGGESTION}),
        ),
        # Not accepted: the case stays at intake as an ordinary opinion (kind opinion).
        Transition(
            SuggestionAction.REVIEW_REJECT,
            "不予立案",
            (S.SUBMITTED,),
            None,
            CLERKS,
            Relation.CONGRESS,
            kinds=frozenset({Case.Kind.SUGGESTION}),
        ),
        Transition(
            SuggestionAction.SUGGESTION_ASSIGN,
            "交办",
            (S.ACCEPTED,),
            S.ASSIGNED,
            CLERKS,
            Relation.CONGRESS,
            kinds=SUGGESTION_KINDS,
        ),
        Transition(
            SuggestionAction.CO_VIEW,
            "协办意见",
            (S.ASSIGNED, S.HANDLING),
            None,
            HANDLERS,
            Relation.CO_UNIT,
            kinds=SUGGESTION_KINDS,
        ),
        # 复杂建议延期: approved by the congress up to the statutory limit.
        Transition(
            SuggestionAction.SUGGESTION_EXTEND,
            "延期",
            Case.RUNNING_STATES,
            None,
            CLERKS,
            Relation.CONGRESS,
            kinds=SUGGESTION_KINDS,
        ),
        # B 类答复的承诺兑现: recorded after the answer, while or after it is rated.
        Transition(
            SuggestionAction.PROMISE_KEEP,
            "承诺兑现",
            (S.REPLIED, S.CLOSED),
            None,
            CLERKS,
            Relation.CONGRESS,
            kinds=SUGGESTION_KINDS,
        ),
        # A motion not placed on the agenda is handled as a suggestion (议案转建议).
        Transition(
            SuggestionAction.MOTION_CONVERT,
            "议案转为建议",
            (S.SUBMITTED,),
            None,
            CLERKS,
            Relation.CONGRESS,
            kinds=frozenset({Case.Kind.MOTION}),
        ),
    )
}


def transition_for(action: Action | SuggestionAction) -> Transition:
    if isinstance(action, SuggestionAction):
        return SUGGESTION_TRANSITIONS[action]
    return TRANSITIONS[action]


def lead_assignment(case: Case) -> Assignment | None:
    """The case's active lead assignment (at most one, by constraint)."""
    return (
        case.assignments.filter(role=Assignment.Role.LEAD, state__in=Assignment.ACTIVE_STATES)
        .select_related("unit")
        .first()
    )


# --- who may --------------------------------------------------------------------------------


def acting_congress_path(unit: OrgUnit) -> str:
    """The tree path of the congress a unit's staff act for: the unit itself when it is a
    congress body, otherwise (a committee) the unit it belongs to."""
    if unit.is_congress:
        return unit.path
    return unit.path[: -OrgUnit.steplen] or unit.path


def reaches_congress(actor, congress: OrgUnit) -> bool:
    """Whether a congress clerk, leader or admin among the actor's seats acts for `congress`
    (or a congress above it)."""
    if actor is None or not actor.is_authenticated:
        return False
    return any(
        _grant_reaches_congress(g, congress)
        for g in scope_for(actor).grants
        if g.spec.role in SUPERVISORS
    )


def _grant_reaches_congress(grant: Grant, congress: OrgUnit) -> bool:
    if grant.spec.role == Role.SYSTEM_ADMIN:
        return True
    if grant.unit is None:
        return False
    return congress.path.startswith(acting_congress_path(grant.unit))


def _grant_is_lead_unit(grant: Grant, lead: Assignment | None) -> bool:
    return lead is not None and grant.unit is not None and grant.unit.pk == lead.unit_id


def _is_co_unit(grants: list[Grant], case: Case) -> bool:
    units = [g.unit.pk for g in grants if g.unit is not None]
    return bool(units) and (
        case.assignments.filter(
            role=Assignment.Role.CO, state__in=Assignment.ACTIVE_STATES, unit_id__in=units
        ).exists()
    )


def is_rater(actor, case: Case, *, phone_last4: str = "") -> bool:
    if actor is None or not actor.is_authenticated:
        phone = case.submitter_phone
        return len(phone_last4) == 4 and len(phone) >= 4 and phone[-4:] == phone_last4
    if case.submitter_id == actor.pk:
        return True
    return case.collected_by is not None and case.collected_by.user_id == actor.pk


def refusal(
    action: Action | SuggestionAction,
    actor,
    case: Case | None,
    *,
    lead: Assignment | None = None,
    phone_last4: str = "",
) -> str | None:
    """Why `actor` may not take `action` on `case` now (role, relation or state), or None.

    Guards are not checked here: they are the services' ValidationErrors. `lead` is the case's
    active lead assignment, needed for the `lead_unit` relation.
    """
    t = transition_for(action)
    if case is not None and case.kind not in t.kinds:
        return f"{case.get_kind_display()}不能{t.label}。"
    if case is not None and case.state not in t.from_states:
        return f"该事项当前状态为“{case.get_state_display()}”，不能{t.label}。"
    anonymous = actor is None or not actor.is_authenticated
    if t.relation == Relation.SYSTEM:
        return None if anonymous else f"“{t.label}”由系统自动执行。"
    if anonymous:
        if not t.without_actor:
            return "请先登录。"
        if (
            t.relation == Relation.RATER
            and case is not None
            and not is_rater(None, case, phone_last4=phone_last4)
        ):
            return "手机号后四位不正确，不能评价该事项。"
        return None
    grants = [g for g in scope_for(actor).grants if g.spec.role in t.roles]
    if case is None or t.relation == Relation.ANYONE:
        ok = bool(grants)
    elif t.relation == Relation.CONGRESS:
        ok = any(_grant_reaches_congress(g, case.congress) for g in grants)
    elif t.relation == Relation.LEAD_UNIT:
        ok = any(_grant_is_lead_unit(g, lead) for g in grants)
    elif t.relation == Relation.CO_UNIT:
        ok = _is_co_unit(grants, case)
    elif t.relation == Relation.RATER:
        ok = bool(grants) and is_rater(actor, case)
    else:  # pragma: no cover - every relation is handled above
        ok = False
    return None if ok else f"您无权对该事项执行“{t.label}”操作。"


def check(
    action: Action | SuggestionAction,
    actor,
    case: Case | None,
    *,
    lead: Assignment | None = None,
    phone_last4: str = "",
) -> Transition:
    """Raise CaseActionNotAllowed unless `actor` may take `action` on `case` now."""
    reason = refusal(action, actor, case, lead=lead, phone_last4=phone_last4)
    if reason is not None:
        raise CaseActionNotAllowed(reason)
    return transition_for(action)
