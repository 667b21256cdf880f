"""Closing the loop: the rating (评价), re-handling (重办) and closing unrated (逾期未评价办结)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from renda.accounts.models import User
from renda.cases.models import Assignment, Case, CaseSettings
from renda.cases.services._core import begin, clean_text, move
from renda.cases.workflow import Action
from renda.workcal.calendar import add_working_days, working_days_between

# The unsatisfied rating after which a case goes to supervision (督办).
SUPERVISE_AFTER_UNSATISFIED = 2


@transaction.atomic
def case_rate(
    *,
    case: Case,
    actor: User | None,
    version: int,
    rating: str,
    note: str = "",
    phone_last4: str = "",
) -> Case:
    """评价 by the submitter or the collecting deputy; a citizen without an account proves it
    is them with the last four digits of the phone they gave.

    满意 / 基本满意 close the case. 不满意 reopens it (重办): the lead unit gets a new
    assignment, already signed for, with a fresh deadline of the case's urgency tier; from the
    second 不满意 on, the case is also put under supervision (督办) unless it already is.
    """
    if rating not in Case.Rating.values:
        raise ValidationError({"rating": "请选择满意、基本满意或不满意。"})
    note = clean_text(note, label="评价意见", max_length=500, required=False)
    if rating != Case.Rating.UNSATISFIED:
        fresh, _ = begin(
            Action.RATE, case=case, actor=actor, version=version, phone_last4=phone_last4
        )
        return move(
            Action.RATE,
            case=case,
            fresh=fresh,
            actor=actor,
            version=version,
            changes={"rating": rating, "closed_at": timezone.now()},
            note=note,
            data={"rating": rating, "by_phone": actor is None},
        )

    fresh, _ = begin(
        Action.REOPEN, case=case, actor=actor, version=version, phone_last4=phone_last4
    )
    last_lead = (
        fresh.assignments.filter(role=Assignment.Role.LEAD, state=Assignment.State.REPLIED)
        .order_by("-round", "-pk")
        .first()
    )
    if last_lead is None:  # pragma: no cover - a reply needs a lead unit
        raise ValidationError("找不到原主办单位，无法重办。")
    count = fresh.unsatisfied_count + 1
    now = timezone.now()
    # A supervision item has no urgency tier: it gets its first assignment's time again.
    days = (
        fresh.urgency.working_days
        if fresh.urgency is not None
        else working_days_between(timezone.localdate(last_lead.assigned_at), last_lead.deadline)
    )
    deadline = add_working_days(timezone.localdate(), max(days, 1))
    again = Assignment(
        case=fresh,
        unit_id=last_lead.unit_id,
        role=Assignment.Role.LEAD,
        state=Assignment.State.SIGNED,
        deadline=deadline,
        assigned_at=now,
        signed_at=now,
        round=last_lead.round + 1,
    )
    again.full_clean()
    again.save()
    supervision = fresh.supervision
    if count >= SUPERVISE_AFTER_UNSATISFIED and supervision == Case.Supervision.NONE:
        supervision = Case.Supervision.SUPERVISED
    return move(
        Action.REOPEN,
        case=case,
        fresh=fresh,
        actor=actor,
        version=version,
        changes={
            "rating": rating,
            "unsatisfied_count": count,
            "supervision": supervision,
            "deadline": deadline,
        },
        note=note,
        data={
            "rating": rating,
            "by_phone": actor is None,
            "round": again.round,
            "deadline": deadline.isoformat(),
            "supervision": supervision,
        },
    )


@transaction.atomic
def case_close_unrated(*, case: Case, actor: None = None, version: int) -> Case:
    """逾期未评价办结: the system closes a reply nobody rated within the rating window. The
    rating stays empty; it is not taken as satisfied."""
    fresh, _ = begin(Action.CLOSE_UNRATED, case=case, actor=actor, version=version)
    return move(
        Action.CLOSE_UNRATED,
        case=case,
        fresh=fresh,
        actor=None,
        version=version,
        changes={"closed_at": timezone.now()},
        data={"rating_days": CaseSettings.load().rating_days},
    )
