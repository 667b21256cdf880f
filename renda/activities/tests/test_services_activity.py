"""activity_create, activity_update, activity_cancel: who may record what, where."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from renda.activities.models import Activity, Attendance
from renda.activities.services import activity_cancel, activity_create, activity_update
from renda.activities.tests.helpers import campaign, days, kind, station_activity


def test_it_records_a_held_activity_with_attendance(personas):
    activity = station_activity(personas, title="走访湖滨社区", summary="听取意见")
    assert activity.status == Activity.Status.HELD
    assert activity.region == personas.regions["town"]
    assert activity.organiser == personas.units["town"]
    assert activity.created_by == personas.station_clerk
    row = activity.attendances.get()
    assert row.deputy == personas.deputies["deputy"]
    assert row.status == Attendance.Status.ATTENDED


def test_it_names_an_untitled_activity_after_its_kind_and_date(personas):
    activity = station_activity(personas, attended=())
    assert activity.title.startswith("走访选民（")


def test_a_future_activity_is_planned(personas):
    activity = station_activity(personas, when=7, attended=())
    assert activity.status == Activity.Status.PLANNED


def test_a_future_activity_cannot_be_marked_attended(personas):
    with pytest.raises(ValidationError, match="尚未开展"):
        station_activity(personas, when=3)
    assert not Activity.objects.exists()


def test_a_deputy_listed_twice_is_refused(personas):
    with pytest.raises(ValidationError, match="重复"):
        station_activity(personas, attended=("deputy", "deputy"))
    assert not Activity.objects.exists()


def test_a_clerk_cannot_record_for_a_deputy_outside_scope(personas):
    with pytest.raises(ValidationError, match=r"王西山.*不在您的管辖范围内"):
        station_activity(personas, attended=("other",))


def test_a_clerk_cannot_record_at_a_station_outside_scope(personas):
    with pytest.raises(ValidationError, match=r"西山镇代表联络站.*不在您的管辖范围内"):
        activity_create(
            actor=personas.town_clerk,
            kind=kind(),
            date=days(-1),
            station=personas.stations["other_town"],
        )


def test_a_clerk_cannot_record_in_a_region_outside_scope(personas):
    with pytest.raises(ValidationError, match=r"西山镇.*不在您的管辖范围内"):
        activity_create(
            actor=personas.town_clerk,
            kind=kind(),
            date=days(-1),
            region=personas.regions["other_town"],
        )


def test_a_town_clerk_records_in_a_region_without_station(personas):
    activity = activity_create(
        actor=personas.town_clerk,
        kind=kind("research"),
        date=days(-2),
        region=personas.regions["village"],
    )
    assert activity.organiser == personas.units["town"]


@pytest.mark.parametrize("name", ["leader", "unit_handler", "citizen"])
def test_roles_without_the_permission_cannot_record(personas, name):
    with pytest.raises(PermissionDenied):
        activity_create(
            actor=getattr(personas, name),
            kind=kind(),
            date=days(-1),
            region=personas.regions["town"],
        )


def test_a_deputy_records_their_own_visit_and_is_present(personas):
    activity = activity_create(actor=personas.deputy, kind=kind(), date=days(0), place="湖滨社区")
    assert activity.status == Activity.Status.HELD
    # The lowest congress of their serving seats: 东湖街道.
    assert activity.region == personas.regions["town"]
    assert list(activity.attendances.values_list("deputy__name", "status")) == [
        ("张代表", "attended")
    ]


def test_a_deputy_cannot_plan_or_record_for_others(personas):
    with pytest.raises(ValidationError, match="日期不能晚于今天"):
        activity_create(actor=personas.deputy, kind=kind(), date=days(2))
    with pytest.raises(ValidationError, match="本人"):
        activity_create(
            actor=personas.deputy,
            kind=kind(),
            date=days(0),
            attendance=[(personas.deputies["city"], "attended")],
        )


def test_it_carries_the_campaign_and_direction(personas):
    six = campaign(personas)
    direction = six.directions.first()
    activity = station_activity(personas, campaign=six, direction=direction)
    assert activity.campaign == six and activity.direction == direction


def test_a_campaign_outside_its_period_or_a_foreign_direction_is_refused(personas):
    six = campaign(personas, start_date=days(-5), end_date=days(5))
    other = campaign(personas, name="稳企助企")
    with pytest.raises(ValidationError, match="不在主题活动"):
        station_activity(personas, when=-10, campaign=six)
    with pytest.raises(ValidationError, match="不属于该主题活动"):
        station_activity(personas, campaign=six, direction=other.directions.first())


def test_a_campaign_of_another_county_is_refused(personas):
    west = campaign(personas, actor=personas.other_county_clerk, name="西山行动")
    with pytest.raises(ValidationError, match="不在您的管辖范围内"):
        station_activity(personas, campaign=west)


def test_an_inactive_kind_is_refused(personas):
    retired = kind("forum")
    retired.is_active = False
    retired.save()
    with pytest.raises(ValidationError, match="已停用"):
        station_activity(personas, kind=retired)


def test_update_fills_in_the_summary_and_counts(personas):
    activity = station_activity(personas)
    activity_update(
        actor=personas.town_clerk,
        activity=activity,
        summary="收集意见3条",
        citizens_count=12,
        citizens_names="李某某、王某某",
    )
    activity.refresh_from_db()
    assert (activity.summary, activity.citizens_count) == ("收集意见3条", 12)
    with pytest.raises(ValidationError, match="负数"):
        activity_update(actor=personas.town_clerk, activity=activity, citizens_count=-1)


def test_an_outsider_cannot_update_and_a_deputy_only_their_own(personas):
    activity = station_activity(personas)
    with pytest.raises(PermissionDenied):
        activity_update(actor=personas.deputy, activity=activity, summary="x")
    with pytest.raises(PermissionDenied):
        activity_update(actor=personas.leader, activity=activity, summary="x")


def test_cancel_keeps_the_row_and_refuses_when_someone_attended(personas):
    planned = station_activity(personas, when=5, attended=())
    activity_cancel(actor=personas.station_clerk, activity=planned)
    planned.refresh_from_db()
    assert planned.status == Activity.Status.CANCELLED
    held = station_activity(personas)
    with pytest.raises(ValidationError, match="不能取消"):
        activity_cancel(actor=personas.station_clerk, activity=held)


def test_photos_must_be_images(personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    png = SimpleUploadedFile(
        "现场.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40, content_type="image/png"
    )
    activity = station_activity(personas, photos=[png])
    assert activity.photos.get().original_name == "现场.png"
    text = SimpleUploadedFile("x.jpg", b"hello world, not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="不是有效"):
        activity_update(actor=personas.station_clerk, activity=activity, photos=[text])
