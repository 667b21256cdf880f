"""attendance_add and attendance_record: one row per deputy, never attended in the future,
only deputies in the clerk's scope."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from renda.activities.models import Activity, Attendance
from renda.activities.services import activity_cancel, attendance_add, attendance_record
from renda.activities.tests.helpers import station_activity

S = Attendance.Status


def test_taking_attendance_sets_the_one_row(personas):
    activity = station_activity(personas, attended=())
    deputy = personas.deputies["deputy"]
    attendance_add(actor=personas.station_clerk, activity=activity, deputy=deputy)
    attendance_record(
        actor=personas.station_clerk, activity=activity, deputy=deputy, status=S.LEAVE, note="出差"
    )
    row = attendance_record(
        actor=personas.station_clerk, activity=activity, deputy=deputy, status=S.ATTENDED
    )
    assert activity.attendances.count() == 1
    assert (row.status, row.note) == (S.ATTENDED, "")


def test_adding_the_same_deputy_twice_says_so(personas):
    activity = station_activity(personas)
    with pytest.raises(ValidationError, match=r"张代表.*已在本次活动名单中"):
        attendance_add(
            actor=personas.station_clerk, activity=activity, deputy=personas.deputies["deputy"]
        )


def test_the_database_refuses_a_second_row(personas):
    activity = station_activity(personas)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(
            activity=activity,
            deputy=personas.deputies["deputy"],
            status=S.ABSENT,
            activity_date=activity.date,
        )


def test_a_planned_activity_takes_invitations_and_leave_but_not_presence(personas):
    activity = station_activity(personas, when=10, attended=())
    deputy = personas.deputies["deputy"]
    attendance_add(actor=personas.station_clerk, activity=activity, deputy=deputy)
    attendance_record(
        actor=personas.station_clerk, activity=activity, deputy=deputy, status=S.LEAVE
    )
    for status in (S.ATTENDED, S.ABSENT):
        with pytest.raises(ValidationError, match="尚未开展"):
            attendance_record(
                actor=personas.station_clerk, activity=activity, deputy=deputy, status=status
            )


def test_marking_someone_present_makes_a_planned_activity_held(personas):
    activity = station_activity(personas, when=0, attended=())
    Activity.objects.filter(pk=activity.pk).update(status=Activity.Status.PLANNED)
    activity.refresh_from_db()
    attendance_record(
        actor=personas.station_clerk,
        activity=activity,
        deputy=personas.deputies["deputy"],
        status=S.ATTENDED,
    )
    activity.refresh_from_db()
    assert activity.status == Activity.Status.HELD


def test_a_deputy_outside_scope_is_refused(personas):
    activity = station_activity(personas)
    with pytest.raises(ValidationError, match=r"王西山.*不在您的管辖范围内"):
        attendance_record(
            actor=personas.town_clerk,
            activity=activity,
            deputy=personas.deputies["other"],
            status=S.ATTENDED,
        )


@pytest.mark.parametrize("name", ["other_town_clerk", "leader", "deputy", "citizen"])
def test_others_cannot_take_attendance(personas, name):
    activity = station_activity(personas, attended=())
    with pytest.raises(PermissionDenied):
        attendance_record(
            actor=getattr(personas, name),
            activity=activity,
            deputy=personas.deputies["deputy"],
            status=S.ATTENDED,
        )


def test_a_cancelled_activity_takes_no_attendance(personas):
    activity = station_activity(personas, when=3, attended=())
    Activity.objects.filter(pk=activity.pk).update(status=Activity.Status.CANCELLED)
    activity.refresh_from_db()
    with pytest.raises(ValidationError, match="已取消"):
        attendance_add(
            actor=personas.station_clerk, activity=activity, deputy=personas.deputies["deputy"]
        )


def test_attendance_reads_the_activitys_status_again(personas):
    """An object loaded before the activity was cancelled still cannot mark it attended: /me/
    counts attendances without reading each activity's status."""
    activity = station_activity(personas, when=-3, attended=())
    stale = Activity.objects.get(pk=activity.pk)
    activity_cancel(actor=personas.station_clerk, activity=activity)
    assert stale.status == Activity.Status.HELD
    with pytest.raises(ValidationError, match="已取消"):
        attendance_record(
            actor=personas.station_clerk,
            activity=stale,
            deputy=personas.deputies["deputy"],
            status=S.ATTENDED,
        )
    assert not Attendance.objects.filter(activity=activity, status=S.ATTENDED).exists()


def test_a_bad_status_is_refused(personas):
    activity = station_activity(personas, attended=())
    with pytest.raises(ValidationError, match="请选择出席情况"):
        attendance_record(
            actor=personas.station_clerk,
            activity=activity,
            deputy=personas.deputies["deputy"],
            status="present",
        )


def test_every_row_keeps_the_activitys_date(personas):
    """/me/ counts a year's attendances on the row's own copy of the date."""
    deputy = personas.deputies["deputy"]
    invited = station_activity(personas, when=-40, attended=())
    added = attendance_add(actor=personas.station_clerk, activity=invited, deputy=deputy)
    taken = station_activity(personas, when=-30, attended=())
    recorded = attendance_record(
        actor=personas.station_clerk, activity=taken, deputy=deputy, status=S.ATTENDED
    )
    created = station_activity(personas, when=-20)  # attendance given with the activity
    assert added.activity_date == invited.date
    assert recorded.activity_date == taken.date
    assert created.attendances.get().activity_date == created.date
