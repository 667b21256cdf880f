"""Activities: record or plan one, take attendance, cancel, and raise a case in it."""

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from renda.activities import selectors
from renda.activities.models import (
    Activity,
    ActivityCase,
    ActivityKind,
    Attendance,
    Campaign,
    CampaignDirection,
)
from renda.activities.services._common import (
    _check_campaign,
    _check_deputy,
    _check_region,
    _check_station,
    _clean_text,
    _photos_add,
)
from renda.cases.models import Case, Category
from renda.cases.services import case_submit
from renda.cases.services.intake import congress_for_region
from renda.deputies.models import Deputy
from renda.org.models import Grid, OrgUnit, Region, Station


@transaction.atomic
def activity_create(
    *,
    actor,
    kind: ActivityKind,
    date: dt.date,
    title: str = "",
    station: Station | None = None,
    region: Region | None = None,
    organiser: OrgUnit | None = None,
    campaign: Campaign | None = None,
    direction: CampaignDirection | None = None,
    start_time: dt.time | None = None,
    end_time: dt.time | None = None,
    place: str = "",
    summary: str = "",
    officials_count: int = 0,
    officials_names: str = "",
    citizens_count: int = 0,
    citizens_names: str = "",
    attendance: Iterable[tuple[Deputy, str]] = (),
    photos: Sequence[UploadedFile] = (),
) -> Activity:
    """Plan an activity (a future date) or record one held (today or earlier).

    A clerk with ACTIVITIES_MANAGE records for stations and deputies in scope; a deputy
    records their own activity and is marked present.
    """
    deputy = selectors.own_deputy(actor)
    manager = selectors.can_manage(actor)
    if not manager and deputy is None:
        raise PermissionDenied("您没有登记履职活动的权限。")
    if not kind.is_active:
        raise ValidationError({"kind": f"活动类型“{kind.name}”已停用。"})
    today = timezone.localdate()
    status = Activity.Status.PLANNED if date > today else Activity.Status.HELD
    if not manager and status == Activity.Status.PLANNED:
        raise ValidationError({"date": "代表只能登记已开展的活动，日期不能晚于今天。"})
    _check_station(actor, station)
    if region is None:
        if station is not None:
            region = station.serves_region or station.region
        elif not manager:
            seat = (
                deputy.seats.filter(status="serving")
                .select_related("term__congress__region")
                .order_by("-term__congress__region__depth")
                .first()
            )
            if seat is None:
                raise ValidationError({"region": "您没有在任的代表资格，请联系人大工作人员。"})
            region = seat.term.congress.region
        else:
            raise ValidationError({"region": "请选择联络站或所在区划。"})
    _check_region(actor, region)
    if organiser is None:
        organiser = station.congress if station is not None else congress_for_region(region)
    _check_campaign(actor, campaign, direction, date, region)
    if start_time and end_time and end_time < start_time:
        raise ValidationError({"end_time": "结束时间不能早于开始时间。"})
    activity = Activity(
        kind=kind,
        title=_clean_text(title, label="活动名称", max_length=100, required=False)
        or f"{kind.name}（{date:%m月%d日}）",
        campaign=campaign,
        direction=direction,
        date=date,
        start_time=start_time,
        end_time=end_time,
        place=_clean_text(place, label="活动地点", max_length=200, required=False),
        station=station,
        region=region,
        organiser=organiser,
        status=status,
        summary=_clean_text(summary, label="活动纪要", max_length=5000, required=False),
        officials_count=officials_count,
        officials_names=_clean_text(
            officials_names, label="出席领导/工作人员", max_length=500, required=False
        ),
        citizens_count=citizens_count,
        citizens_names=_clean_text(
            citizens_names, label="参加群众", max_length=500, required=False
        ),
        created_by=actor,
    )
    activity.full_clean()
    activity.save()
    rows = list(attendance)
    if not manager:
        # A deputy's own record: they were there, and nobody else is recorded by them.
        if any(d.pk != deputy.pk for d, _ in rows):
            raise ValidationError({"deputy": "代表只能登记本人的出席情况。"})
        rows = [(deputy, Attendance.Status.ATTENDED)]
    seen: set[int] = set()
    for person, state in rows:
        if person.pk in seen:
            raise ValidationError(
                {"deputy": f"代表“{person.name}”重复出现，同一代表只能登记一次。"}
            )
        seen.add(person.pk)
        attendance_add(actor=actor, activity=activity, deputy=person, status=state)
    if photos:
        _photos_add(activity=activity, photos=photos, actor=actor)
    return activity


@transaction.atomic
def activity_update(
    *,
    actor,
    activity: Activity,
    summary: str | None = None,
    place: str | None = None,
    officials_count: int | None = None,
    officials_names: str | None = None,
    citizens_count: int | None = None,
    citizens_names: str | None = None,
    photos: Sequence[UploadedFile] = (),
) -> Activity:
    """Fill in what happened: the summary, who came, photos."""
    if not selectors.can_write_activity(actor, activity):
        raise PermissionDenied("您不能修改这条活动记录。")
    if activity.status == Activity.Status.CANCELLED:
        raise ValidationError("活动已取消，不能再修改。")
    fields = []
    for name, value, label, limit in (
        ("summary", summary, "活动纪要", 5000),
        ("place", place, "活动地点", 200),
        ("officials_names", officials_names, "出席领导/工作人员", 500),
        ("citizens_names", citizens_names, "参加群众", 500),
    ):
        if value is not None:
            setattr(
                activity, name, _clean_text(value, label=label, max_length=limit, required=False)
            )
            fields.append(name)
    for name, value in (("officials_count", officials_count), ("citizens_count", citizens_count)):
        if value is not None:
            if value < 0:
                raise ValidationError({name: "人数不能为负数。"})
            setattr(activity, name, value)
            fields.append(name)
    activity.full_clean()
    activity.save(update_fields=[*fields, "updated_at"])
    if photos:
        _photos_add(activity=activity, photos=photos, actor=actor)
    return activity


@transaction.atomic
def activity_cancel(*, actor, activity: Activity) -> Activity:
    if not selectors.can_write_activity(actor, activity):
        raise PermissionDenied("您不能修改这条活动记录。")
    # The activity's row is locked before the attendances are read, as attendance writes lock
    # it before reading its status (`_lock_status`): a cancellation and an attendance marked
    # at the same moment cannot both pass, and /me/ counts attendances without reading the
    # activity's status.
    _lock_status(activity)
    if activity.attendances.filter(status=Attendance.Status.ATTENDED).exists():
        raise ValidationError("已有代表登记出席的活动不能取消。")
    activity.status = Activity.Status.CANCELLED
    activity.save(update_fields=["status", "updated_at"])
    activity.case_links.update(activity_cancelled=True)
    return activity


def _link_copies(activity: Activity) -> dict:
    """What a case link copies of its activity (see `ActivityCase`)."""
    return {
        "campaign_id": activity.campaign_id,
        "activity_date": activity.date,
        "region_id": activity.region_id,
        "organiser_id": activity.organiser_id,
        "station_id": activity.station_id,
        "activity_created_by_id": activity.created_by_id,
        "activity_cancelled": activity.status == Activity.Status.CANCELLED,
    }


def _lock_status(activity: Activity) -> None:
    """Lock the activity's row until the transaction ends, and read its status again (the
    object in hand may be older than a cancellation)."""
    activity.status = (
        Activity.objects.select_for_update().values_list("status", flat=True).get(pk=activity.pk)
    )


def _check_attendance(*, actor, activity: Activity, deputy: Deputy, status: str) -> None:
    if not selectors.can_write_activity(actor, activity):
        raise PermissionDenied("您不能为这次活动登记出席情况。")
    if status not in Attendance.Status.values:
        raise ValidationError({"status": "请选择出席情况。"})
    _lock_status(activity)
    if activity.status == Activity.Status.CANCELLED:
        raise ValidationError("活动已取消，不能登记出席情况。")
    if activity.date > timezone.localdate() and status in (
        Attendance.Status.ATTENDED,
        Attendance.Status.ABSENT,
    ):
        label = Attendance.Status(status).label
        raise ValidationError(
            {"status": f"活动日期为{activity.date:%Y-%m-%d}，尚未开展，不能登记为“{label}”。"}
        )
    _check_deputy(actor, deputy)


def _mark_held(activity: Activity, status: str) -> None:
    if status == Attendance.Status.ATTENDED and activity.status == Activity.Status.PLANNED:
        activity.status = Activity.Status.HELD
        activity.save(update_fields=["status", "updated_at"])


@transaction.atomic
def attendance_add(
    *, actor, activity: Activity, deputy: Deputy, status: str = Attendance.Status.INVITED
) -> Attendance:
    """Put a deputy on an activity's list. The same deputy twice is refused (and the database
    constraint `attendance_one_per_deputy` holds it even under a race)."""
    _check_attendance(actor=actor, activity=activity, deputy=deputy, status=status)
    duplicate = ValidationError(
        {"deputy": f"代表“{deputy.name}”已在本次活动名单中，不能重复登记。"}
    )
    if Attendance.objects.filter(activity=activity, deputy=deputy).exists():
        raise duplicate
    try:
        with transaction.atomic():
            row = Attendance.objects.create(
                activity=activity,
                deputy=deputy,
                status=status,
                activity_date=activity.date,
                recorded_by=actor,
            )
    except IntegrityError:
        raise duplicate from None
    _mark_held(activity, status)
    return row


@transaction.atomic
def attendance_record(
    *, actor, activity: Activity, deputy: Deputy, status: str, note: str = ""
) -> Attendance:
    """Take attendance: set the deputy's status on the activity (adding them if they were not
    invited). Recording again changes the one row; it never makes a second."""
    _check_attendance(actor=actor, activity=activity, deputy=deputy, status=status)
    note = _clean_text(note, label="备注", max_length=200, required=False)
    row = Attendance.objects.select_for_update().filter(activity=activity, deputy=deputy).first()
    if row is None:
        row = attendance_add(actor=actor, activity=activity, deputy=deputy, status=status)
        if note:
            row.note = note
            row.save(update_fields=["note", "recorded_at"])
        return row
    row.status = status
    row.note = note
    row.recorded_by = actor
    row.save(update_fields=["status", "note", "recorded_by", "recorded_at"])
    _mark_held(activity, status)
    return row


@transaction.atomic
def activity_raise_case(
    *,
    actor,
    activity: Activity,
    nature: str,
    title: str,
    content: str,
    category: Category,
    raised_by: Deputy | None = None,
    submitter_name: str = "",
    submitter_phone: str = "",
    grid: Grid | None = None,
    address: str = "",
    idempotency_key: str = "",
) -> ActivityCase:
    """Raise a problem or suggestion heard in an activity: an opinion case (channel 主题活动,
    or 接待日 for a reception day) linked to the activity and its campaign."""
    if not selectors.can_write_activity(actor, activity):
        raise PermissionDenied("您不能在这次活动中登记问题或建议。")
    if nature not in ActivityCase.Nature.values:
        raise ValidationError({"nature": "请选择问题或建议。"})
    _lock_status(activity)  # the link copies it; a cancellation waits for this transaction
    if activity.status != Activity.Status.HELD:
        raise ValidationError("活动尚未开展或已取消，不能登记收集的问题或建议。")
    own = selectors.own_deputy(actor)
    if not selectors.can_manage(actor):
        raised_by = own
    if (
        raised_by is not None
        and not activity.attendances.filter(
            deputy=raised_by, status=Attendance.Status.ATTENDED
        ).exists()
    ):
        raise ValidationError(
            {"raised_by": f"代表“{raised_by.name}”未登记出席本次活动，不能作为提出代表。"}
        )
    channel = (
        Case.Channel.RECEPTION_DAY
        if activity.kind.code == "reception_day"
        else Case.Channel.ACTIVITY
    )
    case = case_submit(
        actor=actor,
        title=title,
        content=content,
        category=category,
        region=activity.region,
        channel=channel,
        kind=Case.Kind.OPINION,
        grid=grid,
        address=address,
        submitter_name=submitter_name,
        submitter_phone=submitter_phone,
        collected_by=raised_by,
        idempotency_key=idempotency_key,
    )
    link = ActivityCase.objects.filter(case=case).first()
    if link is not None:
        # The same submission again (a double click): the first link stands.
        return link
    return ActivityCase.objects.create(
        activity=activity,
        case=case,
        nature=nature,
        raised_by=raised_by,
        created_by=actor,
        **_link_copies(activity),
    )


@transaction.atomic
def attendance_take(
    *,
    actor,
    activity: Activity,
    statuses: dict[int, str],
    notes: dict[int, str] | None = None,
    add: Iterable[Deputy] = (),
) -> int:
    """The attendance sheet at once: `statuses` maps the deputy ids already on the list to
    their status, `add` puts more deputies on it (present if the activity has been held,
    invited if not). All or nothing; returns how many rows changed."""
    notes = notes or {}
    changed = 0
    rows = {row.deputy_id: row for row in activity.attendances.select_related("deputy")}
    for deputy_id, status in statuses.items():
        row = rows.get(deputy_id)
        if row is None:
            raise ValidationError({"deputy": "名单已变化，请刷新页面后重新登记。"})
        note = notes.get(deputy_id, row.note)
        if row.status != status or row.note != note:
            attendance_record(
                actor=actor, activity=activity, deputy=row.deputy, status=status, note=note
            )
            changed += 1
    status = (
        Attendance.Status.ATTENDED
        if activity.date <= timezone.localdate()
        else Attendance.Status.INVITED
    )
    for deputy in add:
        attendance_add(actor=actor, activity=activity, deputy=deputy, status=status)
        changed += 1
    return changed


@transaction.atomic
def activity_link_case(
    *, actor, activity: Activity, case: Case, nature: str, raised_by: Deputy | None = None
) -> ActivityCase:
    """Link a case that already exists (taken in at the activity through another channel,
    e.g. typed in at the reception desk) to the activity it was raised in."""
    if not selectors.can_write_activity(actor, activity):
        raise PermissionDenied("您不能在这次活动中登记问题或建议。")
    if nature not in ActivityCase.Nature.values:
        raise ValidationError({"nature": "请选择问题或建议。"})
    _lock_status(activity)  # the link copies it; a cancellation waits for this transaction
    if not case.region.path.startswith(activity.region.path[: Region.steplen * 4]):
        raise ValidationError({"case": f"事项{case.code}不在本次活动所在的乡镇街道。"})
    if ActivityCase.objects.filter(case=case).exists():
        raise ValidationError({"case": f"事项{case.code}已关联到其他活动。"})
    return ActivityCase.objects.create(
        activity=activity,
        case=case,
        nature=nature,
        raised_by=raised_by,
        created_by=actor,
        **_link_copies(activity),
    )
