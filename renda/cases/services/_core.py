"""What every case service shares: the version-checked move, the event with its queued
notification, and the text checks."""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from renda.cases.models import MOBILE_PHONE_REGEX, Assignment, Case, CaseEvent
from renda.cases.tasks import case_follow_up
from renda.cases.workflow import TRANSITIONS, Action, CaseConflict, check, lead_assignment
from renda.lib.tasks import enqueue_with_transaction


def load(case: Case, version: int) -> Case:
    """The case as stored now, locked for this transaction where the database can (PostgreSQL);
    CaseConflict when it is no longer the version the actor saw."""
    fresh = (
        Case.objects.select_for_update(of=("self",))
        .select_related("congress", "region", "collected_by")
        .get(pk=case.pk)
    )
    if fresh.version != version:
        raise CaseConflict()
    return fresh


def begin(
    action: Action, *, case: Case, actor, version: int, phone_last4: str = ""
) -> tuple[Case, Assignment | None]:
    """Load the case at `version` and check that `actor` may take `action` on it now;
    returns the fresh case and its active lead assignment. Guards raise ValidationError."""
    fresh = load(case, version)
    lead = lead_assignment(fresh)
    transition = check(action, actor, fresh, lead=lead, phone_last4=phone_last4)
    if transition.guard is not None:
        reason = transition.guard(fresh, lead)
        if reason is not None:
            raise ValidationError(reason)
    return fresh, lead


def move(
    action: Action,
    *,
    case: Case,
    fresh: Case,
    actor,
    version: int,
    changes: dict[str, Any] | None = None,
    to_state: str | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> Case:
    """Write `changes` (and the new state) only if the case is still at `version`, append the
    event, and schedule the notification. `case` (the caller's object) is refreshed."""
    transition = TRANSITIONS[action]
    new_state = to_state or transition.to_state or fresh.state
    values = dict(changes or {})
    values["state"] = new_state
    updated = Case.objects.filter(pk=fresh.pk, version=version).update(
        **values, version=F("version") + 1, updated_at=timezone.now()
    )
    if updated == 0:
        raise CaseConflict()
    record(
        action,
        case_id=fresh.pk,
        actor=actor,
        from_state=fresh.state,
        to_state=new_state,
        note=note,
        data=data,
    )
    case.refresh_from_db()
    return case


def record(action: Action, *, case_id: int, **transition: Any) -> CaseEvent:
    """Append the event of one transition (`new_event`'s actor, states, note and data) and
    queue its follow-up (notifications, and what other apps do on `case_changed`) with it."""
    event = new_event(action, case_id=case_id, **transition)
    event.save()
    enqueue_with_transaction(case_follow_up, case_id, event.pk, action.value)
    return event


def new_event(
    action: Action,
    *,
    case_id: int,
    actor,
    from_state: str,
    to_state: str,
    note: str = "",
    data: dict[str, Any] | None = None,
    check: bool = True,
) -> CaseEvent:
    """The event of one transition, not yet saved; checked unless the caller made every
    value itself (`check=False`, intake)."""
    event = CaseEvent(
        case_id=case_id,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action.value,
        from_state=from_state,
        to_state=to_state,
        note=note,
        data=data or {},
    )
    # The case and the actor are rows in hand: checking that they exist would cost a query
    # apiece inside every transition's transaction.
    if check:
        event.full_clean(exclude=["case", "actor"])
    return event


def clean_text(value: str, *, label: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(f"请填写{label}。")
    if len(value) > max_length:
        raise ValidationError(f"{label}不能超过{max_length}字（现有{len(value)}字）。")
    return value


def clean_phone(value: str, *, required: bool) -> str:
    value = (value or "").strip().replace(" ", "").replace("-", "")
    if not value:
        if required:
            raise ValidationError({"submitter_phone": "请填写手机号码。"})
        return ""
    if not re.fullmatch(MOBILE_PHONE_REGEX, value):
        raise ValidationError({"submitter_phone": "请填写正确的11位手机号码。"})
    return value


def mark_assignments(case: Case, *, state: str, **fields: Any) -> int:
    """Move every active assignment of the case to `state` (co-units follow the lead)."""
    return case.assignments.filter(state__in=Assignment.ACTIVE_STATES).update(state=state, **fields)
