"""The activity pages: list, detail, quick create, edit, cancel, photos — per persona."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from renda.activities.models import Activity, Attendance
from renda.activities.tests.helpers import campaign, days, kind, station_activity

ALL_ROLES = [
    "admin",
    "city_clerk",
    "county_clerk",
    "town_clerk",
    "other_town_clerk",
    "other_county_clerk",
    "station_clerk",
    "unit_handler",
    "leader",
    "deputy",
    "citizen",
]
# Who sees an activity at 东湖街道代表联络站 with 张代表 present.
SEES_TOWN_ACTIVITY = {
    "admin",
    "city_clerk",
    "county_clerk",
    "town_clerk",
    "station_clerk",
    "leader",
    "deputy",
}


def _ids(response) -> set[int]:
    return {int(pk) for pk in re.findall(r'href="/activities/(\d+)/"', response.text)}


@pytest.mark.parametrize("name", ALL_ROLES)
def test_the_list_and_detail_follow_the_scope(personas, login, name):
    activity = station_activity(personas, title="走访湖滨社区")
    client = login(getattr(personas, name))
    listed = client.get("/activities/")
    assert listed.status_code == 200
    detail = client.get(f"/activities/{activity.pk}/")
    if name in SEES_TOWN_ACTIVITY:
        assert _ids(listed) == {activity.pk}
        assert detail.status_code == 200
        assert "走访湖滨社区" in detail.text
    else:
        assert _ids(listed) == set()
        assert detail.status_code == 404


def test_the_list_filters_and_counts_its_queries(personas, login, django_assert_max_num_queries):
    station_activity(personas, title="走访一")
    station_activity(personas, title="调研二", kind=kind("research"))
    client = login(personas.town_clerk)
    research = kind("research").pk
    # session, user, memberships, installation, count, rows (kind/station/region/campaign
    # joined), kinds for the filter; the session save (update in a savepoint) adds three.
    with django_assert_max_num_queries(10):
        response = client.get("/activities/", {"kind": research})
    assert "调研二" in response.text and "走访一" not in response.text


def test_the_quick_form_records_an_activity_with_attendance(personas, login):
    client = login(personas.station_clerk)
    page = client.get("/activities/new/")
    assert page.status_code == 200
    assert "张代表" in page.text
    # The station clerk's station is chosen already.
    assert f'value="{personas.stations["town"].pk}" selected' in page.text
    response = client.post(
        "/activities/new/",
        {
            "kind": kind().pk,
            "date": days(0).isoformat(),
            "station": personas.stations["town"].pk,
            "deputies": [personas.deputies["deputy"].pk],
            "summary": "走访10户",
        },
    )
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/activities/{activity.pk}/"
    assert activity.attendances.get().status == Attendance.Status.ATTENDED


def test_the_quick_form_explains_bad_input(personas, login):
    client = login(personas.station_clerk)
    future = client.post(
        "/activities/new/",
        {
            "kind": kind().pk,
            "date": days(0).isoformat(),
            "station": personas.stations["other_town"].pk,
        },
    )
    assert future.status_code == 400
    assert "所选联络站不在可选范围内" in future.text
    outside = client.post(
        "/activities/new/",
        {
            "kind": kind().pk,
            "date": days(0).isoformat(),
            "deputies": [personas.deputies["other"].pk],
        },
    )
    assert outside.status_code == 400
    assert "所选代表不在可选范围内" in outside.text
    bad = client.post("/activities/new/", {"date": "2026-13-45"})
    assert bad.status_code == 400
    assert "请选择活动类型" in bad.text and "请输入有效的日期" in bad.text
    assert not Activity.objects.exists()


def test_the_quick_form_service_errors_come_back_on_the_form(personas, login):
    six = campaign(personas, start_date=days(-3), end_date=days(3))
    client = login(personas.station_clerk)
    response = client.post(
        "/activities/new/",
        {
            "kind": kind().pk,
            "date": days(-10).isoformat(),
            "station": personas.stations["town"].pk,
            "campaign": six.pk,
        },
    )
    assert response.status_code == 400
    assert "不在主题活动" in response.text


def test_a_deputy_records_their_own_visit(personas, login):
    client = login(personas.deputy)
    page = client.get("/activities/new/")
    assert page.status_code == 200
    assert "出席代表" not in page.text
    response = client.post(
        "/activities/new/", {"kind": kind().pk, "date": days(0).isoformat(), "summary": "走访"}
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.attendances.get().deputy == personas.deputies["deputy"]


@pytest.mark.parametrize("name", ["leader", "unit_handler", "citizen"])
def test_roles_that_cannot_record_get_403(personas, login, name):
    response = login(getattr(personas, name)).get("/activities/new/")
    assert response.status_code == 403


def test_citizen_names_are_masked_without_personal_data(personas, login):
    activity = station_activity(personas, citizens_count=2, citizens_names="李大明、王小红")
    assert "李大明" in login(personas.town_clerk).get(f"/activities/{activity.pk}/").text
    leader_view = login(personas.leader).get(f"/activities/{activity.pk}/").text
    assert "李大明" not in leader_view and "李*" in leader_view


def test_edit_and_cancel(personas, login):
    planned = station_activity(personas, when=5, attended=())
    client = login(personas.station_clerk)
    response = client.post(
        f"/activities/{planned.pk}/edit/",
        {"summary": "议程已定", "officials_count": "2", "citizens_count": "-1"},
    )
    assert response.status_code == 400
    assert "不能为负数" in response.text
    client.post(f"/activities/{planned.pk}/edit/", {"summary": "议程已定", "officials_count": "2"})
    planned.refresh_from_db()
    assert (planned.summary, planned.officials_count) == ("议程已定", 2)
    client.post(f"/activities/{planned.pk}/cancel/")
    planned.refresh_from_db()
    assert planned.status == Activity.Status.CANCELLED
    held = station_activity(personas)
    response = client.post(f"/activities/{held.pk}/cancel/", follow=True)
    assert "已有代表登记出席的活动不能取消" in response.text


def test_outsiders_cannot_edit(personas, login):
    activity = station_activity(personas)
    assert (
        login(personas.other_town_clerk).get(f"/activities/{activity.pk}/edit/").status_code == 404
    )
    assert login(personas.leader).get(f"/activities/{activity.pk}/edit/").status_code == 403
    assert login(personas.deputy).post(f"/activities/{activity.pk}/cancel/").status_code == 403


def test_photos_are_served_only_within_scope(personas, login):
    png = SimpleUploadedFile(
        "现场.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40, content_type="image/png"
    )
    activity = station_activity(personas, photos=[png])
    photo = activity.photos.get()
    url = f"/activities/{activity.pk}/photos/{photo.pk}/"
    ok = login(personas.town_clerk).get(url)
    assert ok.status_code == 200 and ok["Content-Type"] == "image/png"
    assert login(personas.other_town_clerk).get(url).status_code == 404
