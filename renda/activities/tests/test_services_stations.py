"""campaign_create, schedule_create / schedule_generate, duty_day_hold and visit_record."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from renda.activities.models import Activity, Attendance, DutyDay, OfficialVisit, StationSchedule
from renda.activities.services import (
    campaign_create,
    duty_day_hold,
    schedule_create,
    schedule_generate,
    visit_record,
)
from renda.activities.tests.helpers import campaign
from renda.deputies.models import Deputy, StationMembership
from renda.workcal.calendar import is_working_day

K = StationSchedule.Kind


@pytest.fixture(autouse=True)
def clock():
    # Tuesday 2026-09-15, 10:00 in Shanghai.
    with time_machine.travel(dt.datetime(2026, 9, 15, 2, 0, tzinfo=dt.UTC), tick=False):
        yield


def test_a_clerk_creates_a_campaign_with_its_directions(personas):
    six = campaign(personas)
    assert six.organiser == personas.units["county"]
    assert six.region == personas.regions["county"]
    assert [d.name for d in six.directions.all()] == [
        "访企业生产运行，促经济高质量发展",
        "访生态环境治理，促生态富民惠民",
    ]


def test_campaign_bad_input_is_explained(personas):
    with pytest.raises(ValidationError, match="结束日期不能早于开始日期"):
        campaign(personas, start_date=dt.date(2026, 9, 1), end_date=dt.date(2026, 8, 1))
    with pytest.raises(ValidationError, match="活动方向不能重复"):
        campaign(personas, directions=["访民情", "访民情"])
    campaign(personas)
    with pytest.raises(ValidationError, match="已有名为"):
        campaign(personas)
    with pytest.raises(ValidationError, match="不在您的管辖范围内"):
        campaign(personas, actor=personas.town_clerk, organiser=personas.units["other_town"])


@pytest.mark.parametrize("name", ["leader", "deputy", "unit_handler"])
def test_others_cannot_create_campaigns(personas, name):
    with pytest.raises(PermissionDenied):
        campaign(personas, actor=getattr(personas, name))


def _members(personas, n: int) -> list[Deputy]:
    station = personas.stations["town"]
    extra = []
    for i in range(n - 1):
        deputy = Deputy.objects.create(name=f"值班代表{i}", gender="male")
        StationMembership.objects.create(deputy=deputy, station=station)
        extra.append(deputy)
    return [personas.deputies["deputy"], *extra]


def test_a_monthly_reception_day_fills_the_calendar_on_working_days(personas):
    _members(personas, 3)
    schedule = schedule_create(
        actor=personas.station_clerk,
        station=personas.stations["town"],
        kind=K.MONTHLY_RECEPTION,
        day_of_month=1,
        valid_from=dt.date(2026, 9, 1),
        start_time=dt.time(9, 0),
        end_time=dt.time(11, 30),
        generate_until=dt.date(2026, 12, 31),
    )
    days = list(schedule.duty_days.order_by("date"))
    assert [d.date.month for d in days] == [10, 11, 12]
    assert all(is_working_day(d.date) for d in days)
    # 2026-10-01 is National Day and 2026-11-01 a Sunday: both move on.
    assert days[0].date > dt.date(2026, 10, 7)
    assert days[1].date == dt.date(2026, 11, 2)
    assert schedule.title == "每月接待日"
    assert schedule.activity_kind.code == "reception_day"
    # Two deputies a day, in turn.
    rota = [sorted(d.deputies.values_list("name", flat=True)) for d in days]
    assert all(len(names) == 2 for names in rota)
    assert rota[0] != rota[1]


def test_regenerating_keeps_the_days_it_made(personas):
    schedule = schedule_create(
        actor=personas.station_clerk,
        station=personas.stations["town"],
        kind=K.WEEKLY_STUDY,
        weekday=2,
        valid_from=dt.date(2026, 9, 15),
        generate_until=dt.date(2026, 9, 30),
    )
    assert list(schedule.duty_days.values_list("date", flat=True)) == [
        dt.date(2026, 9, 16),
        dt.date(2026, 9, 23),
        dt.date(2026, 9, 30),
    ]
    more = schedule_generate(
        actor=personas.station_clerk, schedule=schedule, until=dt.date(2026, 10, 14)
    )
    # 2026-10-07 is a public holiday: no study day then.
    assert [d.date for d in more] == [dt.date(2026, 10, 14)]
    assert DutyDay.objects.count() == 4


def test_an_activity_month_is_its_working_days(personas):
    schedule = schedule_create(
        actor=personas.town_clerk,
        station=personas.stations["town"],
        kind=K.ACTIVITY_MONTH,
        month=11,
        valid_from=dt.date(2026, 9, 15),
        generate_until=dt.date(2026, 12, 31),
    )
    dates = list(schedule.duty_days.values_list("date", flat=True))
    assert dates and all(d.month == 11 and is_working_day(d) for d in dates)


@pytest.mark.parametrize(
    "fields,message",
    [
        ({"kind": K.MONTHLY_RECEPTION, "day_of_month": 31}, "1日至28日"),
        ({"kind": K.WEEKLY_STUDY}, "星期几"),
        ({"kind": K.ACTIVITY_MONTH, "month": 13}, "1至12"),
        ({"kind": K.WEEKLY_STUDY, "weekday": 1, "deputies_per_day": 0}, "1至20"),
        (
            {"kind": K.WEEKLY_STUDY, "weekday": 1, "valid_until": dt.date(2026, 1, 1)},
            "截止日期不能早于生效日期",
        ),
    ],
)
def test_schedule_bad_input_is_explained(personas, fields, message):
    with pytest.raises(ValidationError, match=message):
        schedule_create(
            actor=personas.station_clerk,
            station=personas.stations["town"],
            valid_from=dt.date(2026, 9, 15),
            **fields,
        )


def test_a_clerk_cannot_schedule_another_towns_station(personas):
    with pytest.raises(ValidationError, match="不在您的管辖范围内"):
        schedule_create(
            actor=personas.station_clerk,
            station=personas.stations["other_town"],
            kind=K.WEEKLY_STUDY,
            weekday=1,
            valid_from=dt.date(2026, 9, 15),
        )


def test_holding_a_duty_day_opens_its_activity_with_the_rota(personas):
    _members(personas, 2)
    schedule = schedule_create(
        actor=personas.station_clerk,
        station=personas.stations["town"],
        kind=K.WEEKLY_STUDY,
        weekday=1,
        valid_from=dt.date(2026, 9, 15),
        generate_until=dt.date(2026, 9, 15),
    )
    day = schedule.duty_days.get()
    activity = duty_day_hold(actor=personas.station_clerk, duty_day=day)
    assert activity.kind.code == "study"
    assert activity.status == Activity.Status.HELD
    assert set(activity.attendances.values_list("status", flat=True)) == {
        Attendance.Status.ATTENDED
    }
    assert activity.attendances.count() == 2
    # Holding it again returns the same record.
    assert duty_day_hold(actor=personas.station_clerk, duty_day=day) == activity


def test_a_visit_is_recorded_with_its_questions_and_an_activity(personas):
    visit = visit_record(
        actor=personas.station_clerk,
        station=personas.stations["town"],
        date=dt.date(2026, 9, 14),
        kind=OfficialVisit.Kind.DIRECTOR,
        official_name="陈局长",
        official_post="局长",
        unit=personas.units["town_gov"],
        questions="老旧小区加装电梯\n农贸市场停车难\n",
        answered_count=1,
        deputies=[personas.deputies["deputy"]],
    )
    assert visit.questions_count == 2
    assert visit.activity.kind.code == "official_visit"
    assert visit.activity.title == "东湖街道办事处陈局长进站"
    assert visit.activity.attendances.get().deputy == personas.deputies["deputy"]


@pytest.mark.parametrize(
    "fields,message",
    [
        ({"date": dt.date(2026, 9, 20)}, "不能晚于今天"),
        ({"unit_name": ""}, "所在单位"),
        ({"official_name": " "}, "请填写工作人员姓名"),
        ({"answered_count": 3}, "0至1之间"),
    ],
)
def test_visit_bad_input_is_explained(personas, fields, message):
    values = {
        "station": personas.stations["town"],
        "date": dt.date(2026, 9, 14),
        "official_name": "陈科长",
        "unit_name": "东湖街道城建办",
        "questions": "路灯",
    }
    values.update(fields)
    with pytest.raises(ValidationError, match=message):
        visit_record(actor=personas.station_clerk, **values)


def test_others_cannot_record_visits(personas):
    with pytest.raises(PermissionDenied):
        visit_record(
            actor=personas.deputy,
            station=personas.stations["town"],
            date=dt.date(2026, 9, 14),
            official_name="陈科长",
            unit_name="城建办",
        )


def test_a_town_clerk_campaign_reaches_the_town(personas):
    mine = campaign_create(
        actor=personas.town_clerk,
        name="稳企助企",
        start_date=dt.date(2026, 9, 1),
        end_date=dt.date(2026, 12, 31),
    )
    assert mine.organiser == personas.units["town"]
