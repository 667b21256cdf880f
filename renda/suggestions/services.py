"""Every write of a deputy's suggestion or motion: one service per step, `suggestion_<verb>`.

Each runs in one transaction on the case's own machinery: the transition table of
`renda.cases.workflow` (`SuggestionAction` for the steps only suggestions take, the opinion
loop's actions for signing, the answer and the rating), the version the actor saw, and one
`CaseEvent` per step. Bad input raises a Chinese ValidationError before anything is written;
whatever fails later rolls the whole step back.
"""

import calendar
import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from renda.accounts.models import User
from renda.cases.models import Assignment, Case, Category
from renda.cases.services import case_rate, case_reply, case_submit
from renda.cases.services._core import begin, clean_text, record
from renda.cases.workflow import (
    TRANSITIONS,
    Action,
    CaseActionNotAllowed,
    CaseConflict,
    SuggestionAction,
    check,
    lead_assignment,
    reaches_congress,
    transition_for,
)
from renda.deputies.models import Deputy, Seat, Term
from renda.org.models import Level, OrgUnit
from renda.org.scope import scope_for
from renda.suggestions import copies
from renda.suggestions.models import CongressSession, CoSigner, CoView, Promise, Rating, Suggestion
from renda.workcal.calendar import add_working_days, is_working_day

# 办理期限: three months from assignment, six for a complex matter with approval (延期).
STATUTORY_MONTHS = 3
COMPLEX_MONTHS = 6
# 重办: the lead unit answers again within a month of the unsatisfied rating.
REHANDLE_MONTHS = 1
# 议案: ten deputies jointly at county level and above, five in a town (地方组织法).
MOTION_MIN_SIGNERS = {Level.TOWN: 5}
MOTION_MIN_SIGNERS_DEFAULT = 10


def months_later(start: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it is shorter), moved on to the
    next working day of the work calendar when it falls on a holiday or weekend."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    due = dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
    return due if is_working_day(due) else add_working_days(due, 1)


def serving_seats(congress: OrgUnit, today: dt.date | None = None):
    """Seats of deputies serving now in `congress` (its current terms)."""
    today = today or timezone.localdate()
    return Seat.objects.filter(
        term__congress=congress, status=Seat.Status.SERVING, term__start_date__lte=today
    ).filter(Q(term__end_date__isnull=True) | Q(term__end_date__gte=today))


def _lock_congress(congress: OrgUnit) -> None:
    # Numbers are handed out one filer at a time per congress (PostgreSQL; SQLite serialises
    # writers anyway); the unique constraints hold them too.
    list(OrgUnit.objects.select_for_update().filter(pk=congress.pk).values_list("pk"))


def _next_number(*, congress: OrgUnit, session: CongressSession | None, year: int, kind: str):
    _lock_congress(congress)
    same = Suggestion.objects.filter(kind=kind)
    if session is not None:
        same = same.filter(session=session)
    else:
        same = same.filter(congress=congress, year=year, session__isnull=True)
    return (same.aggregate(n=Max("number"))["n"] or 0) + 1


def _move(
    action: Action | SuggestionAction,
    *,
    fresh: Case,
    actor,
    version: int,
    changes: dict[str, Any] | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> Case:
    """Write `changes` (and the transition's state) only if the case is still at `version`,
    and append the event; `renda.cases.services._core.move` for the suggestions' own table."""
    new_state = transition_for(action).to_state or fresh.state
    values = {**(changes or {}), "state": new_state}
    updated = Case.objects.filter(pk=fresh.pk, version=version).update(
        **values, version=F("version") + 1, updated_at=timezone.now()
    )
    if updated == 0:
        raise CaseConflict()
    record(
        action,  # type: ignore[arg-type]
        case_id=fresh.pk,
        actor=actor,
        from_state=fresh.state,
        to_state=new_state,
        note=note,
        data=data,
    )
    return Case.objects.get(pk=fresh.pk)


def _locked(suggestion: Suggestion) -> Suggestion:
    return (
        Suggestion.objects.select_for_update(of=("self",))
        .select_related("congress", "session", "lead_deputy")
        .get(pk=suggestion.pk)
    )


# --- sessions -------------------------------------------------------------------------------


def _require_clerk_of(actor, congress: OrgUnit) -> None:
    if not reaches_congress(actor, congress):
        raise CaseActionNotAllowed(f"您无权管理“{congress.name}”的代表建议。")


@transaction.atomic
def session_create(
    *, actor: User, term: Term, number: int, opens_on: dt.date, closes_on: dt.date
) -> CongressSession:
    _require_clerk_of(actor, term.congress)
    if closes_on < opens_on:
        raise ValidationError({"closes_on": "闭幕日期不能早于开幕日期。"})
    if CongressSession.objects.filter(term=term, number=number).exists():
        raise ValidationError({"number": f"{term}第{number}次会议已存在。"})
    session = CongressSession(term=term, number=number, opens_on=opens_on, closes_on=closes_on)
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def session_close(*, actor: User, session: CongressSession) -> CongressSession:
    """闭会: from now on suggestions are filed between sessions."""
    session = CongressSession.objects.select_for_update().select_related("term").get(pk=session.pk)
    _require_clerk_of(actor, session.term.congress)
    if session.status == CongressSession.Status.CLOSED:
        raise ValidationError(f"{session}已闭会。")
    session.status = CongressSession.Status.CLOSED
    session.save(update_fields=["status"])
    return session


# --- filing and co-signing ------------------------------------------------------------------


def _check_session(session: CongressSession, congress: OrgUnit, today: dt.date) -> None:
    if session.term.congress_id != congress.pk:
        raise ValidationError({"session": f"{session}不是“{congress.name}”的会议。"})
    if session.status == CongressSession.Status.CLOSED or today > session.closes_on:
        raise ValidationError(
            {
                "session": f"{session}已于{session.closes_on:%Y年%m月%d日}闭幕，"
                "不能再作为大会期间建议提出，请选择“闭会期间”提出。"
            }
        )
    if today < session.opens_on:
        raise ValidationError({"session": f"{session}尚未开幕，请选择“闭会期间”提出。"})


def _check_cosigners(
    cosigners: Sequence[Deputy], *, lead: Deputy, congress: OrgUnit, today: dt.date
) -> list[Deputy]:
    serving = set(serving_seats(congress, today).values_list("deputy_id", flat=True))
    seen: set[int] = set()
    result = []
    for deputy in cosigners:
        if deputy.pk == lead.pk:
            raise ValidationError({"cosigners": "领衔代表不能同时作为联名代表。"})
        if deputy.pk in seen:
            raise ValidationError({"cosigners": f"联名代表“{deputy.name}”重复。"})
        if deputy.pk not in serving:
            raise ValidationError(
                {"cosigners": f"“{deputy.name}”不是{congress.name}的在任代表，不能联名。"}
            )
        seen.add(deputy.pk)
        result.append(deputy)
    return result


@transaction.atomic
def suggestion_file(
    *,
    actor: User,
    congress: OrgUnit,
    session: CongressSession | None,
    title: str,
    content: str,
    category: Category,
    cosigners: Sequence[Deputy] = (),
    kind: str = Case.Kind.SUGGESTION,
) -> Suggestion:
    """A deputy files a suggestion (or a motion) to a congress they sit in, during one of its
    sessions or between sessions, with co-signers who then confirm (联名确认)."""
    if kind not in (Case.Kind.SUGGESTION, Case.Kind.MOTION):
        raise ValidationError({"kind": "请选择代表建议或代表议案。"})
    lead = Deputy.objects.filter(user_id=getattr(actor, "pk", None)).first()
    today = timezone.localdate()
    if lead is None or not serving_seats(congress, today).filter(deputy=lead).exists():
        raise CaseActionNotAllowed(f"只有{congress.name}的在任代表可以提出代表建议。")
    if session is not None:
        # As stored now: a clerk may have closed it since the form was shown.
        session = CongressSession.objects.select_related("term").get(pk=session.pk)
        _check_session(session, congress, today)
    signers = _check_cosigners(cosigners, lead=lead, congress=congress, today=today)
    if kind == Case.Kind.MOTION:
        need = MOTION_MIN_SIGNERS.get(congress.region.level, MOTION_MIN_SIGNERS_DEFAULT)
        if len(signers) + 1 < need:
            raise ValidationError(
                {"cosigners": f"代表议案须由{need}名以上代表联名提出（现有{len(signers) + 1}名）。"}
            )
    case = case_submit(
        actor=actor,
        kind=kind,
        title=title,
        content=content,
        category=category,
        region=congress.region,
        channel=Case.Channel.DEPUTY,
        collected_by=lead,
        submitter_name=lead.name,
    )
    if case.congress_id != congress.pk:
        raise ValidationError({"congress": f"“{congress.name}”不受理代表建议，请联系管理员。"})
    suggestion = Suggestion(
        case=case,
        kind=kind,
        congress=congress,
        session=session,
        year=today.year,
        number=_next_number(congress=congress, session=session, year=today.year, kind=kind),
        lead_deputy=lead,
    )
    suggestion.full_clean(exclude=["case", "congress", "session", "lead_deputy"])
    suggestion.save()
    copies.refresh_case(case.pk)
    CoSigner.objects.bulk_create([CoSigner(suggestion=suggestion, deputy=d) for d in signers])
    return suggestion


@transaction.atomic
def suggestion_cosign(*, actor: User, suggestion: Suggestion, agree: bool) -> CoSigner:
    """联名确认: a co-signer agrees to sign, or declines (and is left out)."""
    suggestion = _locked(suggestion)
    case = suggestion.case
    check(SuggestionAction.COSIGN, actor, case)
    row = (
        CoSigner.objects.select_for_update()
        .filter(suggestion=suggestion, deputy__user_id=actor.pk)
        .select_related("deputy")
        .first()
    )
    if row is None:
        raise CaseActionNotAllowed("您不是该建议的联名代表。")
    if row.state != CoSigner.State.PENDING:
        raise ValidationError(f"您已{row.get_state_display()}，不能重复确认。")
    row.state = CoSigner.State.CONFIRMED if agree else CoSigner.State.DECLINED
    row.responded_at = timezone.now()
    row.save(update_fields=["state", "responded_at"])
    record(
        SuggestionAction.COSIGN,  # type: ignore[arg-type]
        case_id=case.pk,
        actor=actor,
        from_state=case.state,
        to_state=case.state,
        note=row.get_state_display(),
        data={"deputy": row.deputy_id, "agree": agree},
    )
    return row


# --- review, assignment, extension ----------------------------------------------------------


@transaction.atomic
def suggestion_review(
    *, actor: User, suggestion: Suggestion, version: int, accept: bool, reason: str = ""
) -> Suggestion:
    """代表工委审查: 立案 once every co-signer has answered; or 不予立案, with the reason, and the
    case goes on as an ordinary opinion (kind opinion, still at intake)."""
    suggestion = _locked(suggestion)
    action = SuggestionAction.REVIEW_ACCEPT if accept else SuggestionAction.REVIEW_REJECT
    fresh, _ = begin(action, case=suggestion.case, actor=actor, version=version)  # type: ignore[arg-type]
    now = timezone.now()
    if accept:
        pending = list(
            suggestion.cosigners.filter(state=CoSigner.State.PENDING).values_list(
                "deputy__name", flat=True
            )
        )
        if pending:
            raise ValidationError(f"联名代表{'、'.join(pending)}尚未确认，暂不能立案。")
        reason = clean_text(reason, label="审查意见", max_length=500, required=False)
        _move(action, fresh=fresh, actor=actor, version=version, note=reason)
        suggestion.review = Suggestion.Review.ACCEPTED
    else:
        reason = clean_text(reason, label="不予立案理由", max_length=500)
        _move(
            action,
            fresh=fresh,
            actor=actor,
            version=version,
            changes={"kind": Case.Kind.OPINION},
            note=reason,
            data={"kind": {"from": fresh.kind, "to": Case.Kind.OPINION}},
        )
        suggestion.review = Suggestion.Review.NOT_ACCEPTED
    suggestion.review_reason = reason
    suggestion.reviewed_at = now
    suggestion.save(update_fields=["review", "review_reason", "reviewed_at"])
    copies.refresh_case(suggestion.case_id)
    return suggestion


def _check_unit(unit: OrgUnit, congress: OrgUnit, field: str) -> None:
    if unit.kind != OrgUnit.Kind.HANDLING_UNIT or not unit.is_active:
        raise ValidationError({field: f"“{unit.name}”不是在用的承办单位，不能交办。"})
    if not unit.region.path.startswith(congress.region.path):
        raise ValidationError({field: f"“{unit.name}”不在“{congress.name}”的辖区内，不能交办。"})


@transaction.atomic
def suggestion_assign(
    *,
    actor: User,
    suggestion: Suggestion,
    version: int,
    lead_unit: OrgUnit,
    co_units: Sequence[OrgUnit] = (),
    note: str = "",
) -> Suggestion:
    """交办 to one lead unit (主办) and co-units (协办), with the statutory deadline: three months
    from the first assignment, on the work calendar."""
    suggestion = _locked(suggestion)
    fresh, _ = begin(
        SuggestionAction.SUGGESTION_ASSIGN,  # type: ignore[arg-type]
        case=suggestion.case,
        actor=actor,
        version=version,
    )
    congress = OrgUnit.objects.select_related("region").get(pk=suggestion.congress_id)
    _check_unit(lead_unit, congress, "lead_unit")
    co_ids: set[int] = set()
    for unit in co_units:
        _check_unit(unit, congress, "co_units")
        if unit.pk == lead_unit.pk:
            raise ValidationError({"co_units": "协办单位不能与主办单位相同。"})
        if unit.pk in co_ids:
            raise ValidationError({"co_units": f"协办单位“{unit.name}”重复。"})
        co_ids.add(unit.pk)
    today = timezone.localdate()
    # A suggestion returned by a unit and assigned again keeps its first assignment's clock.
    assigned_on = suggestion.assigned_on or today
    deadline = fresh.deadline or months_later(assigned_on, STATUTORY_MONTHS)
    now = timezone.now()
    round_ = fresh.unsatisfied_count + 1
    for unit, role in [(lead_unit, Assignment.Role.LEAD)] + [
        (u, Assignment.Role.CO) for u in co_units
    ]:
        assignment = Assignment(
            case=fresh,
            unit=unit,
            role=role,
            deadline=deadline,
            assigned_by=actor,
            assigned_at=now,
            round=round_,
        )
        assignment.full_clean(exclude=["case", "unit", "assigned_by"])
        assignment.save()
    _move(
        SuggestionAction.SUGGESTION_ASSIGN,
        fresh=fresh,
        actor=actor,
        version=version,
        changes={"deadline": deadline},
        note=clean_text(note, label="交办意见", max_length=500, required=False),
        data={
            "lead_unit": lead_unit.pk,
            "co_units": [u.pk for u in co_units],
            "deadline": deadline.isoformat(),
        },
    )
    if suggestion.assigned_on is None:
        suggestion.assigned_on = assigned_on
        suggestion.save(update_fields=["assigned_on"])
    copies.refresh_case(suggestion.case_id)
    return suggestion


def complex_limit(suggestion: Suggestion) -> dt.date | None:
    """The latest deadline an extension may give: six months from the assignment."""
    if suggestion.assigned_on is None:
        return None
    return months_later(suggestion.assigned_on, COMPLEX_MONTHS)


@transaction.atomic
def suggestion_extend(
    *, actor: User, suggestion: Suggestion, version: int, until: dt.date, reason: str
) -> Suggestion:
    """延期 of a complex suggestion, approved by the congress: never past six months from the
    assignment."""
    suggestion = _locked(suggestion)
    fresh, _ = begin(
        SuggestionAction.SUGGESTION_EXTEND,  # type: ignore[arg-type]
        case=suggestion.case,
        actor=actor,
        version=version,
    )
    limit = complex_limit(suggestion)
    assert limit is not None and fresh.deadline is not None  # running states are assigned
    if not isinstance(until, dt.date):
        raise ValidationError({"until": "请填写延期后的办理期限。"})
    if until <= fresh.deadline:
        raise ValidationError(
            {"until": f"延期后的办理期限应晚于现办理期限（{fresh.deadline:%Y年%m月%d日}）。"}
        )
    if until > limit:
        raise ValidationError(
            {
                "until": f"延期后的办理期限不能超过交办之日起{COMPLEX_MONTHS}个月"
                f"（{limit:%Y年%m月%d日}）。"
            }
        )
    reason = clean_text(reason, label="延期理由", max_length=500)
    fresh.assignments.filter(state__in=Assignment.ACTIVE_STATES).update(deadline=until)
    _move(
        SuggestionAction.SUGGESTION_EXTEND,
        fresh=fresh,
        actor=actor,
        version=version,
        changes={"deadline": until},
        note=reason,
        data={"from": fresh.deadline.isoformat(), "to": until.isoformat()},
    )
    suggestion.is_complex = True
    suggestion.save(update_fields=["is_complex"])
    copies.refresh_case(suggestion.case_id)
    return suggestion


# --- the units' side ------------------------------------------------------------------------


@transaction.atomic
def suggestion_co_view(*, actor: User, suggestion: Suggestion, content: str) -> CoView:
    """协办意见: a co-unit sends its view to the lead unit; its part ends there."""
    suggestion = _locked(suggestion)
    case = suggestion.case
    check(SuggestionAction.CO_VIEW, actor, case)
    content = clean_text(content, label="协办意见", max_length=5000)
    units = [g.unit.pk for g in scope_for(actor).grants if g.unit is not None]
    assignment = (
        case.assignments.select_for_update()
        .filter(role=Assignment.Role.CO, state__in=Assignment.ACTIVE_STATES, unit_id__in=units)
        .first()
    )
    if assignment is None:  # pragma: no cover - the CO_UNIT relation needs one
        raise CaseActionNotAllowed("您的单位不是该建议的协办单位。")
    now = timezone.now()
    Assignment.objects.filter(pk=assignment.pk).update(
        state=Assignment.State.REPLIED, replied_at=now
    )
    view = CoView(suggestion=suggestion, assignment=assignment, content=content, sent_by=actor)
    view.save()
    record(
        SuggestionAction.CO_VIEW,  # type: ignore[arg-type]
        case_id=case.pk,
        actor=actor,
        from_state=case.state,
        to_state=case.state,
        note=content,
        data={"unit": assignment.unit_id},
    )
    return view


@transaction.atomic
def suggestion_answer(
    *,
    actor: User,
    suggestion: Suggestion,
    version: int,
    answer_class: str,
    reply: str,
    promise: str = "",
    promise_due: dt.date | None = None,
) -> Suggestion:
    """答复 by the lead unit once every co-unit has sent its view: A 已解决或采纳, B 列入计划
    逐步解决 (with what is promised and by when, tracked until kept), C 留作参考."""
    suggestion = _locked(suggestion)
    case = suggestion.case
    if answer_class not in Suggestion.AnswerClass.values:
        raise ValidationError({"answer_class": "请选择答复类别（A、B或C类）。"})
    # The reply's guard (cases.workflow) waits for every co-unit's view.
    if reason := TRANSITIONS[Action.REPLY].guard(case, None):  # type: ignore[misc]
        raise ValidationError(reason)
    promised = None
    if answer_class == Suggestion.AnswerClass.B:
        promise = clean_text(promise, label="承诺事项", max_length=500)
        if not isinstance(promise_due, dt.date):
            raise ValidationError({"promise_due": "B类答复请填写计划完成日期。"})
        if promise_due <= timezone.localdate():
            raise ValidationError({"promise_due": "计划完成日期应晚于今天。"})
        promised = (promise, promise_due)
    lead = lead_assignment(case)
    case_reply(
        case=case,
        actor=actor,
        version=version,
        result_class=Suggestion.RESULT_OF_CLASS[Suggestion.AnswerClass(answer_class)],
        reply=reply,
    )
    if promised is not None:
        assert lead is not None  # case_reply checked the lead unit
        Promise.objects.create(
            suggestion=suggestion, unit_id=lead.unit_id, content=promised[0], due_on=promised[1]
        )
    copies.refresh_case(suggestion.case_id)
    return suggestion


# --- the deputy's rating --------------------------------------------------------------------


@transaction.atomic
def suggestion_rate(
    *,
    actor: User,
    suggestion: Suggestion,
    version: int,
    answer: str,
    contact: str,
    contact_before: bool = False,
    contact_during: bool = False,
    contact_after: bool = False,
    note: str = "",
) -> Rating:
    """The lead deputy rates the answer and the contact (办前/办中/办后沟通). 满意 / 基本满意 with
    the answer close the suggestion; 不满意 sends it back to the lead unit (重办), with a month
    to answer again."""
    suggestion = _locked(suggestion)
    case = suggestion.case
    values = Case.Rating.values
    if answer not in values:
        raise ValidationError({"answer": "请选择对办理结果的评价。"})
    if contact not in values:
        raise ValidationError({"contact": "请选择对沟通联系的评价。"})
    note = clean_text(note, label="评价意见", max_length=500, required=False)
    round_ = case.unsatisfied_count + 1
    if answer != Case.Rating.UNSATISFIED:
        case_rate(case=case, actor=actor, version=version, rating=answer, note=note)
    else:
        _rehandle(case=case, actor=actor, version=version, note=note)
    rating = Rating(
        suggestion=suggestion,
        round=round_,
        answer=answer,
        contact=contact,
        contact_before=bool(contact_before),
        contact_during=bool(contact_during),
        contact_after=bool(contact_after),
        note=note,
        rated_by=actor,
    )
    rating.save()
    copies.refresh_case(suggestion.case_id)
    return rating


def _rehandle(*, case: Case, actor: User, version: int, note: str) -> Case:
    fresh, _ = begin(Action.REOPEN, case=case, actor=actor, version=version)
    last_lead = (
        fresh.assignments.filter(role=Assignment.Role.LEAD, state=Assignment.State.REPLIED)
        .order_by("-round", "-pk")
        .first()
    )
    if last_lead is None:  # pragma: no cover - an answer needs a lead unit
        raise ValidationError("找不到原主办单位，无法重办。")
    now = timezone.now()
    deadline = months_later(timezone.localdate(), REHANDLE_MONTHS)
    Assignment.objects.create(
        case=fresh,
        unit_id=last_lead.unit_id,
        role=Assignment.Role.LEAD,
        state=Assignment.State.SIGNED,
        deadline=deadline,
        assigned_at=now,
        signed_at=now,
        round=last_lead.round + 1,
    )
    return _move(
        Action.REOPEN,
        fresh=fresh,
        actor=actor,
        version=version,
        changes={
            "rating": Case.Rating.UNSATISFIED,
            "unsatisfied_count": fresh.unsatisfied_count + 1,
            "deadline": deadline,
        },
        note=note,
        data={"rating": Case.Rating.UNSATISFIED, "round": last_lead.round + 1},
    )


# --- promises and motions -------------------------------------------------------------------


@transaction.atomic
def promise_keep(*, actor: User, promise: Promise, note: str) -> Promise:
    """承诺兑现: the congress records that what a B-class answer promised has been done."""
    promise = Promise.objects.select_for_update().get(pk=promise.pk)
    case = Case.objects.select_related("congress").get(suggestion__pk=promise.suggestion_id)
    check(SuggestionAction.PROMISE_KEEP, actor, case)
    if promise.kept_at is not None:
        raise ValidationError(f"该承诺已于{timezone.localtime(promise.kept_at):%Y-%m-%d}兑现。")
    promise.kept_note = clean_text(note, label="兑现情况", max_length=500)
    promise.kept_at = timezone.now()
    promise.kept_by = actor
    promise.save(update_fields=["kept_note", "kept_at", "kept_by"])
    record(
        SuggestionAction.PROMISE_KEEP,  # type: ignore[arg-type]
        case_id=case.pk,
        actor=actor,
        from_state=case.state,
        to_state=case.state,
        note=promise.kept_note,
        data={"promise": promise.pk},
    )
    return promise


@transaction.atomic
def motion_convert(*, actor: User, suggestion: Suggestion, version: int, reason: str) -> Suggestion:
    """议案转为建议: a motion the presidium did not place on the agenda is handled as a
    suggestion, numbered among the suggestions, and reviewed as one."""
    suggestion = _locked(suggestion)
    fresh, _ = begin(
        SuggestionAction.MOTION_CONVERT,  # type: ignore[arg-type]
        case=suggestion.case,
        actor=actor,
        version=version,
    )
    reason = clean_text(reason, label="转为建议的理由", max_length=500)
    _move(
        SuggestionAction.MOTION_CONVERT,
        fresh=fresh,
        actor=actor,
        version=version,
        changes={"kind": Case.Kind.SUGGESTION},
        note=reason,
        data={"motion_number": suggestion.number},
    )
    suggestion.number = _next_number(
        congress=suggestion.congress,
        session=suggestion.session,
        year=suggestion.year,
        kind=Case.Kind.SUGGESTION,
    )
    suggestion.kind = Case.Kind.SUGGESTION
    suggestion.motion_reason = reason
    suggestion.save(update_fields=["number", "kind", "motion_reason"])
    copies.refresh_case(suggestion.case_id)
    return suggestion
