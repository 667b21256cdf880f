"""Campaigns, station schedules and their duty days, and officials' visits to stations."""

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from renda.activities.models import (
    Activity,
    ActivityKind,
    Attendance,
    Campaign,
    CampaignDirection,
    DutyDay,
    DutyDayDeputy,
    OfficialVisit,
    StationSchedule,
)
from renda.activities.services._common import (
    GENERATE_DAYS,
    _check_station,
    _clean_text,
    _require_manage,
)
from renda.activities.services.activities import activity_create
from renda.deputies.models import Deputy, StationMembership
from renda.org.models import OrgUnit, Station
from renda.org.scope import scope_for
from renda.workcal.models import CalendarDay


def _actor_congress(actor) -> OrgUnit | None:
    for grant in scope_for(actor).grants:
        if grant.unit is not None and grant.unit.is_congress:
            return grant.unit
        if grant.station is not None:
            return grant.station.congress
    return None


@transaction.atomic
def campaign_create(
    *,
    actor,
    name: str,
    start_date: dt.date,
    end_date: dt.date,
    description: str = "",
    directions: Sequence[str] = (),
    organiser: OrgUnit | None = None,
) -> Campaign:
    _require_manage(actor)
    if organiser is None:
        organiser = _actor_congress(actor)
        if organiser is None:
            raise ValidationError({"organiser": "请选择主办人大。"})
    elif (
        not scope_for(actor)
        .filter(OrgUnit.objects.filter(pk=organiser.pk), unit="", region="region")
        .exists()
    ):
        raise ValidationError({"organiser": f"“{organiser.name}”不在您的管辖范围内。"})
    if not organiser.is_congress:
        raise ValidationError({"organiser": "主办单位须为人大常委会、人大工委或主席团。"})
    if end_date < start_date:
        raise ValidationError({"end_date": "结束日期不能早于开始日期。"})
    name = _clean_text(name, label="主题活动名称", max_length=100)
    if Campaign.objects.filter(organiser=organiser, name=name).exists():
        raise ValidationError({"name": f"“{organiser.name}”已有名为“{name}”的主题活动。"})
    cleaned = [d.strip() for d in directions if d and d.strip()]
    if len(set(cleaned)) != len(cleaned):
        raise ValidationError({"directions": "活动方向不能重复。"})
    for item in cleaned:
        _clean_text(item, label="活动方向", max_length=100)
    campaign = Campaign(
        name=name,
        description=_clean_text(description, label="简介", max_length=5000, required=False),
        organiser=organiser,
        region=organiser.region,
        start_date=start_date,
        end_date=end_date,
        created_by=actor,
    )
    campaign.full_clean()
    campaign.save()
    CampaignDirection.objects.bulk_create(
        CampaignDirection(campaign=campaign, name=item, sort_order=i * 10)
        for i, item in enumerate(cleaned, start=1)
    )
    return campaign


_DEFAULT_KIND_CODE = {
    StationSchedule.Kind.MONTHLY_RECEPTION: "reception_day",
    StationSchedule.Kind.WEEKLY_STUDY: "study",
    StationSchedule.Kind.ACTIVITY_MONTH: "group_activity",
}


@transaction.atomic
def schedule_create(
    *,
    actor,
    station: Station,
    kind: str,
    valid_from: dt.date,
    title: str = "",
    activity_kind: ActivityKind | None = None,
    day_of_month: int | None = None,
    weekday: int | None = None,
    month: int | None = None,
    start_time: dt.time | None = None,
    end_time: dt.time | None = None,
    deputies_per_day: int = 2,
    valid_until: dt.date | None = None,
    generate_until: dt.date | None = None,
) -> StationSchedule:
    """Set a station's recurring duty and fill the calendar up to `generate_until` (three
    months ahead by default)."""
    _require_manage(actor)
    _check_station(actor, station)
    if kind not in StationSchedule.Kind.values:
        raise ValidationError({"kind": "请选择安排类型。"})
    if kind == StationSchedule.Kind.MONTHLY_RECEPTION:
        if day_of_month is None or not 1 <= day_of_month <= 28:
            raise ValidationError({"day_of_month": "每月接待日须为每月1日至28日中的一天。"})
        weekday = month = None
    elif kind == StationSchedule.Kind.WEEKLY_STUDY:
        if weekday is None or not 0 <= weekday <= 6:
            raise ValidationError({"weekday": "请选择每周学习日是星期几。"})
        day_of_month = month = None
    else:
        if month is None or not 1 <= month <= 12:
            raise ValidationError({"month": "请选择代表活动月的月份（1至12）。"})
        day_of_month = weekday = None
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError({"valid_until": "截止日期不能早于生效日期。"})
    if not 1 <= deputies_per_day <= 20:
        raise ValidationError({"deputies_per_day": "每次值班代表人数应在1至20之间。"})
    if start_time and end_time and end_time < start_time:
        raise ValidationError({"end_time": "结束时间不能早于开始时间。"})
    if activity_kind is None:
        activity_kind = ActivityKind.objects.filter(code=_DEFAULT_KIND_CODE[kind]).first()
        if activity_kind is None:
            raise ValidationError({"activity_kind": "请选择对应的活动类型。"})
    schedule = StationSchedule(
        station=station,
        kind=kind,
        title=_clean_text(title, label="名称", max_length=100, required=False)
        or StationSchedule.Kind(kind).label,
        activity_kind=activity_kind,
        day_of_month=day_of_month,
        weekday=weekday,
        month=month,
        start_time=start_time,
        end_time=end_time,
        deputies_per_day=deputies_per_day,
        valid_from=valid_from,
        valid_until=valid_until,
        created_by=actor,
    )
    schedule.full_clean()
    schedule.save()
    schedule_generate(
        actor=actor,
        schedule=schedule,
        until=generate_until
        or max(valid_from, timezone.localdate()) + dt.timedelta(days=GENERATE_DAYS),
    )
    return schedule


def _schedule_dates(schedule: StationSchedule, first: dt.date, last: dt.date) -> list[dt.date]:
    """The days a schedule falls on in [first, last]: reception days on a rest day move to the
    next working day; study days skip public holidays; an activity month is its working days."""
    stored = dict(
        CalendarDay.objects.filter(
            date__range=(first - dt.timedelta(days=1), last + dt.timedelta(days=20))
        ).values_list("date", "kind")
    )

    def working(day: dt.date) -> bool:
        if day in stored:
            return stored[day] == CalendarDay.Kind.WORKDAY
        return day.weekday() < 5

    days: list[dt.date] = []
    if schedule.kind == StationSchedule.Kind.MONTHLY_RECEPTION:
        month = first.replace(day=1)
        while month <= last:
            day = month.replace(day=schedule.day_of_month)
            while not working(day):
                day += dt.timedelta(days=1)
            if first <= day <= last:
                days.append(day)
            month = (month + dt.timedelta(days=32)).replace(day=1)
    elif schedule.kind == StationSchedule.Kind.WEEKLY_STUDY:
        day = first + dt.timedelta(days=(schedule.weekday - first.weekday()) % 7)
        while day <= last:
            if stored.get(day) != CalendarDay.Kind.HOLIDAY:
                days.append(day)
            day += dt.timedelta(days=7)
    else:
        day = first
        while day <= last:
            if day.month == schedule.month and working(day):
                days.append(day)
            day += dt.timedelta(days=1)
    return days


@transaction.atomic
def schedule_generate(*, actor, schedule: StationSchedule, until: dt.date) -> list[DutyDay]:
    """Put the schedule's days up to `until` in the station calendar, with deputies on duty
    taken in turn from the station's members. Days already generated are kept as they are."""
    _require_manage(actor)
    _check_station(actor, schedule.station)
    if not schedule.is_active:
        raise ValidationError("该安排已停用。")
    if until > schedule.valid_from + dt.timedelta(days=800):
        raise ValidationError({"until": "一次最多生成两年内的日程。"})
    first = max(schedule.valid_from, timezone.localdate())
    last = min(until, schedule.valid_until) if schedule.valid_until else until
    if last < first:
        return []
    existing = set(schedule.duty_days.values_list("date", flat=True))
    members = list(
        StationMembership.objects.filter(station=schedule.station)
        .order_by("deputy__name", "deputy_id")
        .values_list("deputy_id", flat=True)
    )
    turn = schedule.duty_days.count() * schedule.deputies_per_day
    created: list[DutyDay] = []
    for day in _schedule_dates(schedule, first, last):
        if day in existing:
            continue
        duty_day = DutyDay.objects.create(
            station=schedule.station,
            schedule=schedule,
            date=day,
            title=schedule.title,
            start_time=schedule.start_time,
            end_time=schedule.end_time,
        )
        if members:
            count = min(schedule.deputies_per_day, len(members))
            on_duty = [members[(turn + i) % len(members)] for i in range(count)]
            turn += count
            DutyDayDeputy.objects.bulk_create(
                DutyDayDeputy(duty_day=duty_day, deputy_id=pk) for pk in on_duty
            )
        created.append(duty_day)
    return created


@transaction.atomic
def duty_day_hold(*, actor, duty_day: DutyDay) -> Activity:
    """Open the activity record of a duty day, with its deputies on the list (present if the
    day has come, invited if not)."""
    _require_manage(actor)
    if duty_day.activity_id is not None:
        return duty_day.activity
    if duty_day.is_cancelled:
        raise ValidationError("该值班日已取消。")
    kind = (
        duty_day.schedule.activity_kind
        if duty_day.schedule_id
        else ActivityKind.objects.get(code="reception_day")
    )
    on_time = duty_day.date <= timezone.localdate()
    status = Attendance.Status.ATTENDED if on_time else Attendance.Status.INVITED
    activity = activity_create(
        actor=actor,
        kind=kind,
        title=f"{duty_day.title}（{duty_day.date:%m月%d日}）",
        date=duty_day.date,
        station=duty_day.station,
        start_time=duty_day.start_time,
        end_time=duty_day.end_time,
        place=duty_day.station.address,
        attendance=[(row.deputy, status) for row in duty_day.rota.select_related("deputy")],
    )
    duty_day.activity = activity
    duty_day.save(update_fields=["activity"])
    return activity


@transaction.atomic
def visit_record(
    *,
    actor,
    station: Station,
    date: dt.date,
    official_name: str,
    kind: str = OfficialVisit.Kind.OFFICIAL,
    official_post: str = "",
    unit: OrgUnit | None = None,
    unit_name: str = "",
    questions: str = "",
    answered_count: int = 0,
    deputies: Sequence[Deputy] = (),
) -> OfficialVisit:
    """Record an official's visit to a station and the questions taken. The visit is also a
    held activity of the station (kind 工作人员进站) with the deputies who received them."""
    _require_manage(actor)
    _check_station(actor, station)
    if kind not in OfficialVisit.Kind.values:
        raise ValidationError({"kind": "请选择进站类型。"})
    if date > timezone.localdate():
        raise ValidationError({"date": "进站日期不能晚于今天；尚未进站的请先登记为计划活动。"})
    official_name = _clean_text(official_name, label="工作人员姓名", max_length=50)
    unit_name = _clean_text(unit_name, label="单位名称", max_length=100, required=False)
    if unit is None and not unit_name:
        raise ValidationError({"unit_name": "请填写工作人员所在单位。"})
    questions = _clean_text(questions, label="收集问题", max_length=5000, required=False)
    count = len([line for line in questions.splitlines() if line.strip()])
    if answered_count < 0 or answered_count > count:
        raise ValidationError(
            {"answered_count": f"现场答复数应在0至{count}之间（共收集{count}个问题）。"}
        )
    kind_row = ActivityKind.objects.filter(
        code="official_visit"
    ).first() or ActivityKind.objects.get(code="forum")
    activity = activity_create(
        actor=actor,
        kind=kind_row,
        title=f"{unit.name if unit else unit_name}{official_name}进站",
        date=date,
        station=station,
        place=station.address,
        summary=questions,
        officials_count=1,
        officials_names=f"{official_name} {official_post}".strip(),
        attendance=[(d, Attendance.Status.ATTENDED) for d in deputies],
    )
    visit = OfficialVisit(
        kind=kind,
        station=station,
        date=date,
        official_name=official_name,
        official_post=_clean_text(official_post, label="职务", max_length=100, required=False),
        unit=unit,
        unit_name=unit_name,
        questions=questions,
        questions_count=count,
        answered_count=answered_count,
        activity=activity,
        recorded_by=actor,
    )
    visit.full_clean()
    visit.save()
    return visit
