"""`seed_activities` on the small demo city: every kind of record, through the services."""

import datetime as dt

import pytest

from renda.activities.models import (
    Activity,
    ActivityCase,
    Attendance,
    Campaign,
    DutyDay,
    OfficialVisit,
    StationSchedule,
)
from renda.cases.models import Case
from renda.demo.activities_seed import seed_activities
from renda.demo.services import demo_city_seed


@pytest.fixture
def seeded(db):
    demo_city_seed(size="small", seed=7)
    return seed_activities(seed=7, per_station=3)


def test_it_fills_every_part_of_the_activities_app_and_links_the_cases(seeded):
    assert seeded["campaigns"] == Campaign.objects.count() == 2
    six = Campaign.objects.get(name="六访六促")
    assert six.directions.count() == 6
    assert Activity.objects.filter(status=Activity.Status.HELD).count() > 10
    assert Activity.objects.filter(status=Activity.Status.PLANNED).exists()
    assert Activity.objects.filter(campaign=six).exists()
    statuses = set(Attendance.objects.values_list("status", flat=True))
    assert {Attendance.Status.ATTENDED, Attendance.Status.INVITED} <= statuses
    assert StationSchedule.objects.count() == seeded["schedules"] > 0
    assert DutyDay.objects.filter(rota__isnull=False).exists()
    assert OfficialVisit.objects.count() == seeded["visits"] > 0
    # Every case from a reception day or an activity has its activity.
    eligible = Case.objects.filter(
        channel__in=[Case.Channel.RECEPTION_DAY, Case.Channel.ACTIVITY]
    ).count()
    assert ActivityCase.objects.count() == seeded.get("linked_cases", 0) == eligible
    for link in ActivityCase.objects.select_related("activity", "case")[:20]:
        assert (
            link.activity.date
            == link.case.created_at.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
        )
        if link.raised_by_id:
            assert link.activity.attendances.filter(
                deputy_id=link.raised_by_id, status=Attendance.Status.ATTENDED
            ).exists()
