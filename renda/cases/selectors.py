"""Reads of cases, always through the reader's data scope."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from renda.cases.models import Assignment, Case, CaseEvent, CaseSettings
from renda.cases.workflow import TRANSITIONS, Action, Relation, lead_assignment, refusal
from renda.org.scope import scope_for

# How a case reaches the scope: a clerk sees the cases of the regions under their unit and the
# cases their congress (or one below it) owns; a handler those assigned to their unit; a
# citizen or deputy those they submitted or collected.
CASE_LOOKUPS = {
    "region": "region",
    "unit": "congress",
    "assigned_unit": "assignments__unit",
    "owner": ("submitter", "collected_by__user"),
}


def cases_for_user(user, *, listed: bool = False) -> QuerySet[Case]:
    """The cases `user` may read. `listed`: the scope's subtrees written as lists of ids
    (`Scope.q`), for a list read page after page."""
    return scope_for(user).filter(
        Case.objects.select_related("category", "region", "congress", "urgency"),
        listed=listed,
        **CASE_LOOKUPS,
    )


def get_case_for_user(user, code: str, *, write: bool = False) -> Case:
    """The case with this tracking code, 404 outside the user's scope. With `write`, the user
    must also have something to do with it now (PermissionDenied otherwise)."""
    # The case page shows the grid and the collecting deputy: read with the case, not after.
    case = get_object_or_404(cases_for_user(user).select_related("grid", "collected_by"), code=code)
    if write and not allowed_actions(user, case):
        raise PermissionDenied("您当前不能处理该事项。")
    return case


def case_timeline(case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor").order_by("created_at", "pk")


def case_assignments(case: Case) -> QuerySet[Assignment]:
    return case.assignments.select_related("unit").order_by("round", "pk")


# The scheduler's actions and intake are not offered on a case page.
_PAGE_ACTIONS = [
    t.action
    for t in TRANSITIONS.values()
    if t.relation != Relation.SYSTEM and t.action != Action.SUBMIT
]


def allowed_actions(user, case: Case) -> list[str]:
    """The actions `user` may take on `case` now, in the table's order: role, relation, state
    and the guards. The case page shows only these."""
    candidates = [a for a in _PAGE_ACTIONS if case.state in TRANSITIONS[a].from_states]
    if not candidates or not user.is_authenticated:
        return []
    lead = lead_assignment(case)
    allowed = []
    for action in candidates:
        if refusal(action, user, case, lead=lead) is not None:
            continue
        guard = TRANSITIONS[action].guard
        if guard is not None and guard(case, lead) is not None:
            continue
        allowed.append(action.value)
    return allowed


def overdue(qs: QuerySet[Case], today: dt.date | None = None) -> QuerySet[Case]:
    """Cases whose unit has missed its deadline and not yet replied (已超期): a running case's
    deadline (`running_deadline`, indexed) before today."""
    today = today or timezone.localdate()
    return qs.filter(running_deadline__lt=today)


def due_for_reminder(today: dt.date | None = None) -> QuerySet[Case]:
    """Overdue cases not yet reminded since their deadline passed: remind_overdue_cases."""
    return overdue(Case.objects.all(), today).filter(
        Q(last_reminded_at__isnull=True) | Q(last_reminded_at__date__lte=F("deadline"))
    )


def due_for_close_unrated(now: dt.datetime | None = None) -> QuerySet[Case]:
    """Replies left unrated past the rating window: close_unrated_cases."""
    now = now or timezone.now()
    days = CaseSettings.load().rating_days
    return Case.objects.filter(
        state=Case.State.REPLIED, replied_at__lte=now - dt.timedelta(days=days)
    )
