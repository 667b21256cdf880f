"""The station calendar: schedules, duty days, holding a duty day."""

import datetime as dt

import pytest
import time_machine

from renda.activities.models import DutyDay, StationSchedule


@pytest.fixture(autouse=True)
def clock():
    # Tuesday 2026-09-15, 10:00 in Shanghai.
    with time_machine.travel(dt.datetime(2026, 9, 15, 2, 0, tzinfo=dt.UTC), tick=False):
        yield


def _schedule(client, personas, **fields):
    data = {
        "station": personas.stations["town"].pk,
        "kind": StationSchedule.Kind.MONTHLY_RECEPTION,
        "day_of_month": 15,
        "deputies_per_day": 1,
        "valid_from": "2026-09-01",
        "start_time": "09:00",
        "end_time": "11:30",
    }
    data.update(fields)
    return client.post("/activities/schedules/new/", data)


def test_a_station_clerk_sets_a_reception_day_and_sees_the_calendar(personas, login):
    client = login(personas.station_clerk)
    # Their station and the point under it.
    home = client.get("/activities/calendar/")
    station = personas.stations["town"]
    assert f'href="/activities/calendar/{station.pk}/"' in home.text
    assert "湖滨社区代表联络点" in home.text and "西山镇" not in home.text
    response = _schedule(client, personas)
    assert response.status_code == 302
    assert DutyDay.objects.filter(station=station).exists()
    page = client.get(f"/activities/calendar/{station.pk}/", {"month": "2026-10"})
    assert page.status_code == 200
    assert "2026年10月" in page.text
    assert "每月接待日" in page.text and "张代表" in page.text


def test_schedule_bad_input_is_explained(personas, login):
    client = login(personas.station_clerk)
    response = _schedule(client, personas, day_of_month=31)
    assert response.status_code == 400
    assert "每月接待日须为每月1日至28日中的一天" in response.text
    response = _schedule(client, personas, kind=StationSchedule.Kind.WEEKLY_STUDY, day_of_month="")
    assert response.status_code == 400
    assert "请选择每周学习日是星期几" in response.text
    response = _schedule(client, personas, station=personas.stations["other_town"].pk)
    assert response.status_code == 400
    assert not StationSchedule.objects.exists()


def test_holding_a_duty_day_opens_the_activity(personas, login):
    client = login(personas.station_clerk)
    _schedule(client, personas, day_of_month=15, valid_from="2026-09-15")
    day = DutyDay.objects.get(date=dt.date(2026, 9, 15))
    response = client.post(f"/activities/duty-days/{day.pk}/hold/")
    day.refresh_from_db()
    assert response["Location"] == f"/activities/{day.activity_id}/"
    assert day.activity.attendances.get().deputy == personas.deputies["deputy"]


def test_generating_more_days(personas, login):
    client = login(personas.station_clerk)
    _schedule(client, personas)
    schedule = StationSchedule.objects.get()
    before = schedule.duty_days.count()
    client.post(f"/activities/schedules/{schedule.pk}/generate/")
    assert schedule.duty_days.count() > before


@pytest.mark.parametrize(
    "name,status",
    [("other_town_clerk", 404), ("other_county_clerk", 404), ("citizen", 404), ("town_clerk", 200)],
)
def test_the_calendar_follows_the_scope(personas, login, name, status):
    station = personas.stations["town"]
    assert (
        login(getattr(personas, name)).get(f"/activities/calendar/{station.pk}/").status_code
        == status
    )


def test_outsiders_cannot_hold_or_schedule(personas, login):
    _schedule(login(personas.station_clerk), personas)
    day = DutyDay.objects.first()
    schedule = StationSchedule.objects.get()
    other = login(personas.other_town_clerk)
    assert other.post(f"/activities/duty-days/{day.pk}/hold/").status_code == 404
    assert other.post(f"/activities/schedules/{schedule.pk}/generate/").status_code == 404
    assert login(personas.leader).get("/activities/schedules/new/").status_code == 403
