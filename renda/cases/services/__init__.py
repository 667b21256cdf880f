"""Every write to a case: one service per workflow action, named `case_<verb>`.

Each runs in one transaction, checks the transition table (`renda.cases.workflow`) and the
version the actor saw, appends exactly one `CaseEvent`, and notifies after commit. Callers pass
keyword arguments only, with the acting user (`actor`, None for the system or an anonymous
citizen) and the `version` they loaded. Nothing is ever deleted.
"""

from renda.cases.services.handling import (
    case_extend_approve,
    case_extend_refuse,
    case_extend_request,
    case_reply,
    case_return,
    case_sign,
)
from renda.cases.services.intake import case_accept, case_merge, case_reject, case_submit
from renda.cases.services.rating import case_close_unrated, case_rate
from renda.cases.services.routing import case_assign, case_escalate, case_send_down
from renda.cases.services.supervision import (
    case_convert_to_agenda,
    case_remind,
    case_supervise,
)
from renda.cases.workflow import CaseActionNotAllowed, CaseConflict

__all__ = [
    "CaseActionNotAllowed",
    "CaseConflict",
    "case_accept",
    "case_assign",
    "case_close_unrated",
    "case_convert_to_agenda",
    "case_escalate",
    "case_extend_approve",
    "case_extend_refuse",
    "case_extend_request",
    "case_merge",
    "case_rate",
    "case_reject",
    "case_remind",
    "case_reply",
    "case_return",
    "case_send_down",
    "case_sign",
    "case_submit",
    "case_supervise",
]
