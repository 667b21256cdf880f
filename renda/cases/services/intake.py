"""Intake and triage: submit, accept, reject, merge."""

from collections.abc import Callable, Sequence
from contextlib import nullcontext
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Model
from django.utils import timezone

from renda.accounts.models import User
from renda.cases.models import Case, CaseEvent, Category, CodeCounter
from renda.cases.services._core import (
    begin,
    clean_phone,
    clean_text,
    move,
    new_event,
    record,
)
from renda.cases.tasks import case_follow_up
from renda.cases.workflow import Action, CaseActionNotAllowed, check, reaches_congress
from renda.deputies.models import Deputy
from renda.lib.insert import Insert, drawn_ids, write
from renda.lib.memo import remembered
from renda.lib.tasks import enqueue_after_commit, queued_row
from renda.org.models import Grid, OrgUnit, Region
from renda.org.roles import Role
from renda.org.scope import scope_for

# Staff who record what somebody else said (reception day, hotline): the case is not theirs.
_RECORDING_ROLES = {Role.STATION_CLERK, Role.CONGRESS_CLERK, Role.SYSTEM_ADMIN}


@remembered(key=lambda region: (region.pk, region.path))
def congress_for_region(region: Region) -> OrgUnit:
    """The congress body that takes in a case from `region`: the congress, presidium or street
    committee sitting on the region, else on its nearest ancestor region."""
    step = Region.steplen
    paths = [region.path[:end] for end in range(step, len(region.path) + 1, step)]
    congress = (
        OrgUnit.objects.filter(
            kind__in=OrgUnit.CONGRESS_KINDS, is_active=True, region__path__in=paths
        )
        .select_related("region")
        .order_by("-region__depth", "depth", "path")
        .first()
    )
    if congress is None:
        raise ValidationError({"region": f"“{region.name}”尚未设置受理人大，请联系管理员。"})
    return congress


def case_year() -> int:
    """The year of the codes given now."""
    return timezone.localdate().year


def _allocate_code(kind: str) -> str:
    """The next tracking code of the kind this year. The counter row stays locked until the
    transaction ends, so a rolled-back submission gives its number back and none is skipped.
    One statement: the upsert makes the year's counter at its first code, or increments it,
    and returns the number."""
    prefix, year = Case.CODE_PREFIX[kind], case_year()
    if connection.features.can_return_columns_from_insert:  # … RETURNING
        with connection.cursor() as cursor:
            cursor.execute(_NEXT_NUMBER, [prefix, year])
            (number,) = cursor.fetchone()
    else:  # pragma: no cover - SQLite before 3.35
        CodeCounter.objects.get_or_create(prefix=prefix, year=year)
        counters = CodeCounter.objects.filter(prefix=prefix, year=year)
        counters.update(last=F("last") + 1)
        number = counters.values_list("last", flat=True).get()
    return f"{prefix}{year}-{number:06d}"


_COUNTERS = CodeCounter._meta.db_table
_NEXT_NUMBER = (
    f'INSERT INTO "{_COUNTERS}" ("prefix", "year", "last") VALUES (%s, %s, 1) '
    f'ON CONFLICT ("prefix", "year") DO UPDATE SET "last" = "{_COUNTERS}"."last" + 1 '
    'RETURNING "last"'
)


def _coordinate(value, *, field: str, label: str, bound: int) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError({field: f"{label}必须是数字。"}) from None
    if not number.is_finite() or not -bound <= number <= bound:
        raise ValidationError({field: f"{label}应在 -{bound} 到 {bound} 之间。"})
    return number.quantize(Decimal("0.000001"))


def _is_recording_staff(actor) -> bool:
    return actor is not None and any(role in _RECORDING_ROLES for role in scope_for(actor).roles)


def _existing(key: str, *, submitter: User | None, phone: str) -> Case | None:
    case = Case.objects.filter(idempotency_key=key).first()
    if case is None:
        return None
    same = (
        case.submitter_id == submitter.pk
        if submitter is not None
        else case.submitter_id is None and case.submitter_phone == phone
    )
    if not same:
        raise ValidationError({"idempotency_key": "该提交标识已被使用，请重新提交。"})
    return case


def case_submit(
    *,
    actor: User | None,
    title: str,
    content: str,
    category: Category,
    region: Region,
    channel: str,
    kind: str = Case.Kind.OPINION,
    grid: Grid | None = None,
    address: str = "",
    latitude: Decimal | float | str | None = None,
    longitude: Decimal | float | str | None = None,
    submitter_name: str = "",
    submitter_phone: str = "",
    collected_by: Deputy | None = None,
    is_public: bool = False,
    idempotency_key: str = "",
    rows_for: Callable[[Case], Sequence[Model]] | None = None,
) -> Case:
    """Take in a case. The same non-blank `idempotency_key` returns the case it created.

    `rows_for(case)` gives a channel's own records of the new case (Open311), unsaved; they
    are written with the case or not at all (not for a retry that finds it).

    A citizen or deputy submitting for themselves is the submitter. A deputy recording a
    voter's words (collected_by), and staff recording a call or a visit, are not: then the
    voter's name and phone are kept, and the phone is required unless a deputy collected it
    (the deputy is the contact who rates the answer).
    """
    check(Action.SUBMIT, actor, None)
    actor = actor if actor is not None and actor.is_authenticated else None
    if (
        collected_by is not None
        and actor is not None
        and collected_by.user_id != actor.pk
        and not _is_recording_staff(actor)
    ):
        raise CaseActionNotAllowed("只能以本人身份登记代表收集的意见。")
    # A supervision item (督办事项) is the congress's own: the clerk who issues it is its
    # submitter, and accepts (rates) the unit's answer.
    on_behalf = collected_by is not None or (
        _is_recording_staff(actor) and kind != Case.Kind.SUPERVISION_ITEM
    )
    submitter = actor if actor is not None and not on_behalf else None
    phone = clean_phone(submitter_phone, required=submitter is None and collected_by is None)
    key = clean_text(idempotency_key, label="提交标识", max_length=64, required=False)
    if key and (found := _existing(key, submitter=submitter, phone=phone)):
        return found
    fields = {
        "kind": kind,
        "title": clean_text(title, label="标题", max_length=100),
        "content": clean_text(content, label="内容", max_length=5000),
        "category": category,
        "region": region,
        "grid": grid,
        "address": clean_text(address, label="地址", max_length=200, required=False),
        "latitude": _coordinate(latitude, field="latitude", label="纬度", bound=90),
        "longitude": _coordinate(longitude, field="longitude", label="经度", bound=180),
        "channel": channel,
        "submitter": submitter,
        "submitter_name": clean_text(
            submitter_name, label="姓名", max_length=50, required=submitter is None
        )
        if collected_by is None
        else clean_text(submitter_name, label="姓名", max_length=50, required=False),
        "submitter_phone": phone,
        "collected_by": collected_by,
        "is_public": is_public,
        "idempotency_key": key,
    }
    if (fields["latitude"] is None) != (fields["longitude"] is None):
        raise ValidationError({"latitude": "经纬度须同时填写。"})
    if not category.is_active:
        raise ValidationError({"category": f"分类“{category.name}”已停用。"})
    if grid is not None and not (
        grid.region.path.startswith(region.path) or region.path.startswith(grid.region.path)
    ):
        raise ValidationError({"grid": f"网格“{grid.name}”不在“{region.name}”内。"})
    case = Case(**fields)
    case.congress = congress_for_region(region)
    # Checked here, before the transaction and the code counter's lock. The foreign keys are
    # the objects in hand, and the constraints hold by the checks above (the database holds
    # them too, at the insert): asking the database about each of them, a query apiece, was
    # most of intake's time (bench/bench_cases.py). The code is taken in `_create`.
    case.full_clean(
        exclude=["code", "category", "region", "grid", "congress", "submitter", "collected_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    try:
        return _create(case=case, actor=actor, rows_for=rows_for)
    except IntegrityError:
        # Two identical requests raced past the first look-up: the loser returns the winner's.
        if key and (found := _existing(key, submitter=submitter, phone=phone)):
            return found
        raise


def _create(
    *, case: Case, actor: User | None, rows_for: Callable[[Case], Sequence[Model]] | None
) -> Case:
    """Write the checked case with its code, its submission event, the event's follow-up task
    and the channel's `rows_for(case)`: all or nothing."""
    if connection.vendor != "postgresql":
        return _create_row_by_row(case=case, actor=actor, rows_for=rows_for)
    # Inside the caller's transaction, a savepoint: a refused insert (a raced idempotency key)
    # must leave that transaction usable for the look-up after it.
    with transaction.atomic() if connection.in_atomic_block else nullcontext():
        return _create_in_one_statement(case=case, actor=actor, rows_for=rows_for)


@transaction.atomic
def _create_row_by_row(
    *, case: Case, actor: User | None, rows_for: Callable[[Case], Sequence[Model]] | None
) -> Case:
    # The code goes into the INSERT itself. Written afterwards, it was a second version of the
    # row (an indexed column changed) with an entry in every index (bench/bench_cases.py). The
    # counter row stays locked to the commit, so concurrent submissions queue for the rest
    # of the transaction.
    case.code = _allocate_code(case.kind)
    case.save(force_insert=True)
    record(
        Action.SUBMIT,
        case_id=case.pk,
        actor=actor,
        from_state="",
        to_state=case.state,
        data={"channel": case.channel, "congress": case.congress_id},
    )
    for row in rows_for(case) if rows_for is not None else ():
        row.save(force_insert=True)
    return case


# The code from the number `_NEXT_NUMBER` returns, as Python's f"{prefix}{year}-{number:06d}".
_CODE = (
    """(SELECT %s || LPAD("last"::text, GREATEST(6, LENGTH("last"::text)), '0') FROM "number")"""
)
# The case's and the event's keys, drawn in the statement (`drawn_ids`, named "ids").
_CASE_ID = ('(SELECT "case" FROM "ids")', ())
_EVENT_ID = ('(SELECT "event" FROM "ids")', ())
# The follow-up task's arguments (case_follow_up(case_id, event_id, action)), as
# django_tasks_db stores them (renda/triage/tests/test_task_queue.py reads them back).
_FOLLOW_UP_ARGS = (
    """jsonb_build_object('args', jsonb_build_array((SELECT "case" FROM "ids"), """
    """(SELECT "event" FROM "ids"), %s::text), 'kwargs', '{}'::jsonb)""",
    (Action.SUBMIT.value,),
)


def _create_in_one_statement(
    *, case: Case, actor: User | None, rows_for: Callable[[Case], Sequence[Model]] | None
) -> Case:
    """PostgreSQL: the same rows as `_create_row_by_row` in one statement (renda.lib.insert)
    instead of seven (BEGIN, the counter, four inserts, COMMIT). It draws the case's and the
    event's keys, takes the number from the counter (`_NEXT_NUMBER`: locked until the
    statement's transaction ends, so a refused insert gives its number back) and inserts
    the case carrying its code, the event, its follow-up task and the channel's rows.

    Measured at 1M cases under gunicorn's two workers (bench/bench_cases.py, 4,000 requests
    of each kind, quiet machine): with the row-by-row writes Open311 intake ran at 0.27 of
    the one-row floor. In one statement sent unprepared (Django turns psycopg's preparing
    off: see DATABASES in renda/settings/base.py) it ran at 0.41-0.48; prepared, 0.51-0.56
    over seven runs (median 0.55), with PostgreSQL's CPU per request down from about 1.2 to
    0.7 ms in the same session. The workers then spend about 1.6-2.5 ms of CPU a request
    against the floor's 0.9-1.2, and PostgreSQL 0.45-0.7 ms against 0.16-0.2 (the case's
    eight index entries, the event's, the task's and the Open311 record's, and their
    foreign-key checks)."""
    prefix, year = Case.CODE_PREFIX[case.kind], case_year()
    event = new_event(
        Action.SUBMIT,
        case_id=None,
        actor=actor,
        from_state="",
        to_state=case.state,
        data={"channel": case.channel, "congress": case.congress_id},
        check=False,  # constants and the case's checked values
    )
    inserts = [
        Insert(case, computed={"id": _CASE_ID, "code": (_CODE, [f"{prefix}{year}-"])}),
        Insert(event, computed={"id": _EVENT_ID, "case_id": _CASE_ID}),
    ]
    follow_up = queued_row(case_follow_up, None, None, Action.SUBMIT.value)
    if follow_up is not None:
        inserts.append(Insert(follow_up, computed={"args_kwargs": _FOLLOW_UP_ARGS}))
    for row in rows_for(case) if rows_for is not None else ():
        refers = {f.attname: _CASE_ID for f in row._meta.concrete_fields if f.related_model is Case}
        inserts.append(Insert(row, computed=refers))
    write(
        inserts[1:] + inserts[:1],  # the case last: its RETURNING row is the statement's
        before=[
            ("ids", *drawn_ids(case=Case, event=CaseEvent)),
            ("number", _NEXT_NUMBER, [prefix, year]),
        ],
    )
    if follow_up is None:
        enqueue_after_commit(case_follow_up, case.pk, event.pk, Action.SUBMIT.value)
    return case


@transaction.atomic
def case_accept(
    *, case: Case, actor: User, version: int, category: Category | None = None, note: str = ""
) -> Case:
    """受理. The clerk may correct the category while triaging."""
    fresh, _ = begin(Action.ACCEPT, case=case, actor=actor, version=version)
    changes: dict = {}
    data: dict = {}
    if category is not None and category.pk != fresh.category_id:
        changes["category"] = category
        data["category"] = {"from": fresh.category_id, "to": category.pk}
    note = clean_text(note, label="说明", max_length=500, required=False)
    return move(
        Action.ACCEPT,
        case=case,
        fresh=fresh,
        actor=actor,
        version=version,
        changes=changes,
        note=note,
        data=data,
    )


@transaction.atomic
def case_reject(*, case: Case, actor: User, version: int, reason: str) -> Case:
    """不予受理. The reason is shown to the submitter."""
    fresh, _ = begin(Action.REJECT, case=case, actor=actor, version=version)
    reason = clean_text(reason, label="不予受理理由", max_length=500)
    return move(
        Action.REJECT,
        case=case,
        fresh=fresh,
        actor=actor,
        version=version,
        changes={"reject_reason": reason, "closed_at": timezone.now()},
        note=reason,
    )


@transaction.atomic
def case_merge(*, case: Case, actor: User, version: int, into: Case, note: str = "") -> Case:
    """合并: a duplicate follows the open case it repeats; its submitter is answered there."""
    fresh, _ = begin(Action.MERGE, case=case, actor=actor, version=version)
    target = Case.objects.select_related("congress").get(pk=into.pk)
    if target.pk == fresh.pk:
        raise ValidationError({"merged_into": "不能将事项合并到其自身。"})
    if target.state not in Case.OPEN_STATES:
        message = f"事项{target.code}已{target.get_state_display()}，只能合并到未办结的事项。"
        raise ValidationError({"merged_into": message})
    if not reaches_congress(actor, target.congress):
        raise CaseActionNotAllowed(f"您无权将事项合并到{target.code}。")
    note = clean_text(note, label="说明", max_length=500, required=False)
    return move(
        Action.MERGE,
        case=case,
        fresh=fresh,
        actor=actor,
        version=version,
        changes={"merged_into": target, "closed_at": timezone.now()},
        note=note,
        data={"merged_into": target.code},
    )
