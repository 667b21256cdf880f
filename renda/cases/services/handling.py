"""The handling unit's side: sign (签收), return (退回), extensions (延期) and reply (答复)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from renda.accounts.models import User
from renda.cases.models import Assignment, Case, CaseSettings
from renda.cases.services._core import begin, clean_text, mark_assignments, move
from renda.cases.workflow import Action
from renda.workcal.calendar import add_working_days


@transaction.atomic
def case_sign(*, case: Case, actor: User, version: int, note: str = "") -> Case:
    """签收: the lead unit takes the case; the response clock stops here."""
    fresh, lead = begin(Action.SIGN, case=case, actor=actor, version=version)
    assert lead is not None  # the lead_unit relation needs one
    lead.state = Assignment.State.SIGNED
    lead.signed_at = timezone.now()
    lead.save(update_fields=["state", "signed_at"])
    return move(
        Action.SIGN,
        case=case,
        fresh=fresh,
        actor=actor,
        version=version,
        note=clean_text(note, label="说明", max_length=500, required=False),
        data={"unit": lead.unit_id},
    )


@transaction.atomic
def case_return(*, case: Case, actor: User, version: int, reason: str) -> Case:
    """退回: not this unit's matter; the owning congress routes it again. Co-units' parts end
    with the lead's, so a new assignment starts clean."""
    fresh, lead = begin(Action.RETURN, case=case, actor=actor, version=version)
    assert lead is not None
    reason = clean_text(reason, label="退回理由", max_length=500)
    now = timezone.now()
    Assignment.objects.filter(pk=lead.pk).update(returned_reason=reason)
    mark_assignments(
        fresh, state=Assignment.State.RETURNED, returned_at=now, extension_days_requested=None
    )
    return move(
        Action.RETURN,
        case=case,
        fresh=fresh,
        actor=actor,
        version=version,
        changes={"deadline": None, "urgency": None},
        note=reason,
        data={"unit": lead.unit_id},
    )


@transaction.atomic
def case_extend_request(*, case: Case, actor: User, version: int, days: int, reason: str) -> Case:
    """申请延期, by the lead unit, no later than the deadline day."""
    fresh, lead = begin(Action.EXTEND_REQUEST, case=case, actor=actor, version=version)
    assert lead is not None
    limit = CaseSettings.load().max_extension_days
    if not isinstance(days, int) or not 1 <= days <= limit:
        raise ValidationError({"days": f"延期天数应为 1 到 {limit} 个工作日。"})
    reason = clean_text(reason, label="延期理由", max_length=500)
    lead.state = Assignment.State.EXTENSION_REQUESTED
    lead.extension_days_requested = days
    lead.extension_reason = reason
    lead.full_clean()
    lead.save(update_fields=["state", "extension_days_requested", "extension_reason"])
    return move(
        Action.EXTEND_REQUEST,
        case=case,
        fresh=fresh,
        actor=actor,
        version=version,
        note=reason,
        data={"unit": lead.unit_id, "days": days, "deadline": lead.deadline.isoformat()},
    )


@transaction.atomic
def case_extend_approve(*, case: Case, actor: User, version: int, note: str = "") -> Case:
    """批准延期: the deadline moves by the requested working days, counted from the old
    deadline (not from today), skipping holidays."""
    fresh, lead = begin(Action.EXTEND_APPROVE, case=case, actor=actor, version=version)
    assert lead is not None and lead.extension_days_requested is not None
    days = lead.extension_days_requested
    old = lead.deadline
    new = add_working_days(old, days)
    lead.deadline = new
    lead.state = Assignment.State.SIGNED
    lead.extension_days_requested = None
    lead.save(update_fields=["deadline", "state", "extension_days_requested"])
    # Co-units work to the lead's deadline.
    fresh.assignments.filter(role=Assignment.Role.CO, state__in=Assignment.ACTIVE_STATES).update(
        deadline=new
    )
    return move(
        Action.EXTEND_APPROVE,
        case=case,
        fresh=fresh,
        actor=actor,
        version=version,
        changes={"deadline": new},
        note=clean_text(note, label="审批意见", max_length=500, required=False),
        data={"days": days, "from": old.isoformat(), "to": new.isoformat()},
    )


@transaction.atomic
def case_extend_refuse(*, case: Case, actor: User, version: int, note: str = "") -> Case:
    """不批准延期: the deadline stands."""
    fresh, lead = begin(Action.EXTEND_REFUSE, case=case, actor=actor, version=version)
    assert lead is not None
    days = lead.extension_days_requested
    lead.state = Assignment.State.SIGNED
    lead.extension_days_requested = None
    lead.save(update_fields=["state", "extension_days_requested"])
    return move(
        Action.EXTEND_REFUSE,
        case=case,
        fresh=fresh,
        actor=actor,
        version=version,
        note=clean_text(note, label="审批意见", max_length=500, required=False),
        data={"days": days},
    )


@transaction.atomic
def case_reply(*, case: Case, actor: User, version: int, result_class: str, reply: str) -> Case:
    """答复 with a result class; the submitter (or the collecting deputy) rates it next."""
    fresh, lead = begin(Action.REPLY, case=case, actor=actor, version=version)
    assert lead is not None
    if result_class not in Case.ResultClass.values:
        raise ValidationError({"result_class": "请选择办理结果（已解决、列入计划或解释说明）。"})
    reply = clean_text(reply, label="答复内容", max_length=5000)
    now = timezone.now()
    mark_assignments(
        fresh, state=Assignment.State.REPLIED, replied_at=now, extension_days_requested=None
    )
    return move(
        Action.REPLY,
        case=case,
        fresh=fresh,
        actor=actor,
        version=version,
        # A new answer waits for a new rating: the earlier one stays in the timeline.
        changes={"result_class": result_class, "reply": reply, "replied_at": now, "rating": None},
        note=reply,
        data={
            "unit": lead.unit_id,
            "result_class": result_class,
            "on_time": timezone.localdate() <= lead.deadline,
        },
    )
