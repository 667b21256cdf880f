"""The attendance sheet (/activities/<pk>/attendance/) and raising a case (/raise/)."""

import pytest

from renda.activities.models import ActivityCase, Attendance
from renda.activities.tests.helpers import station_activity
from renda.cases.models import Case, Category

S = Attendance.Status


def test_the_sheet_sets_statuses_and_adds_deputies(personas, login):
    activity = station_activity(personas, attended=())
    client = login(personas.station_clerk)
    page = client.get(f"/activities/{activity.pk}/attendance/")
    assert page.status_code == 200 and "张代表" in page.text
    deputy = personas.deputies["deputy"]
    response = client.post(f"/activities/{activity.pk}/attendance/", {"deputies": [deputy.pk]})
    assert response.status_code == 302
    assert activity.attendances.get().status == S.ATTENDED
    response = client.post(
        f"/activities/{activity.pk}/attendance/",
        {f"status-{deputy.pk}": S.LEAVE, f"note-{deputy.pk}": "外出开会"},
    )
    assert response.status_code == 302
    row = activity.attendances.get()
    assert (row.status, row.note) == (S.LEAVE, "外出开会")


def test_the_sheet_refuses_presence_at_a_future_activity(personas, login):
    activity = station_activity(personas, when=3, attended=())
    deputy = personas.deputies["deputy"]
    client = login(personas.station_clerk)
    client.post(f"/activities/{activity.pk}/attendance/", {"deputies": [deputy.pk]})
    assert activity.attendances.get().status == S.INVITED
    response = client.post(
        f"/activities/{activity.pk}/attendance/", {f"status-{deputy.pk}": S.ATTENDED}
    )
    assert response.status_code == 400
    assert "尚未开展，不能登记为“出席”" in response.text
    assert activity.attendances.get().status == S.INVITED


def test_the_sheet_refuses_a_deputy_twice_or_out_of_scope(personas, login):
    activity = station_activity(personas)
    client = login(personas.station_clerk)
    # 张代表 is on the list already: not offered, and refused if posted anyway.
    again = client.post(
        f"/activities/{activity.pk}/attendance/", {"deputies": [personas.deputies["deputy"].pk]}
    )
    assert again.status_code == 400
    assert "所选代表不在可选范围内" in again.text
    outside = client.post(
        f"/activities/{activity.pk}/attendance/", {"deputies": [personas.deputies["other"].pk]}
    )
    assert outside.status_code == 400
    assert activity.attendances.count() == 1


def test_a_bad_status_value_is_explained(personas, login):
    activity = station_activity(personas)
    deputy = personas.deputies["deputy"]
    response = login(personas.station_clerk).post(
        f"/activities/{activity.pk}/attendance/", {f"status-{deputy.pk}": "maybe"}
    )
    assert response.status_code == 400
    assert "请选择出席情况" in response.text


@pytest.mark.parametrize(
    "name,status",
    [
        ("town_clerk", 200),
        ("county_clerk", 200),
        ("admin", 200),
        ("other_town_clerk", 404),
        ("other_county_clerk", 404),
        ("unit_handler", 404),
        ("citizen", 404),
        ("leader", 403),
        ("deputy", 403),
    ],
)
def test_who_may_take_attendance(personas, login, name, status):
    activity = station_activity(personas)
    client = login(getattr(personas, name))
    assert client.get(f"/activities/{activity.pk}/attendance/").status_code == status
    assert client.get(f"/activities/{activity.pk}/raise/").status_code == status


def test_raising_a_problem_makes_a_linked_case(personas, login):
    activity = station_activity(personas)
    client = login(personas.station_clerk)
    page = client.get(f"/activities/{activity.pk}/raise/")
    assert page.status_code == 200
    response = client.post(
        f"/activities/{activity.pk}/raise/",
        {
            "nature": "problem",
            "title": "湖滨路积水",
            "content": "雨天湖滨路口积水严重",
            "category": Category.objects.get(name="城乡建设").pk,
            "raised_by": personas.deputies["deputy"].pk,
            "idempotency_key": "abc",
        },
        follow=True,
    )
    link = ActivityCase.objects.get()
    assert link.case.channel == Case.Channel.ACTIVITY
    assert link.case.code in response.text
    # From the case back to the activity.
    back = client.get(f"/activities/for-case/{link.case.code}/")
    assert back["Location"] == f"/activities/{activity.pk}/"


def test_raising_without_a_deputy_needs_the_voters_phone(personas, login):
    activity = station_activity(personas)
    response = login(personas.station_clerk).post(
        f"/activities/{activity.pk}/raise/",
        {
            "nature": "suggestion",
            "title": "建议增设公交站",
            "content": "湖滨社区到医院没有公交",
            "category": Category.objects.get(name="交通运输").pk,
            "submitter_name": "李群众",
        },
    )
    assert response.status_code == 400
    assert "请填写手机号码" in response.text
    assert not Case.objects.exists()


def test_a_case_not_from_an_activity_goes_back_to_its_page(personas, login):
    from renda.cases.services import case_submit

    case = case_submit(
        actor=personas.citizen,
        title="噪声",
        content="夜间施工噪声",
        category=Category.objects.get(name="环境保护"),
        region=personas.regions["village"],
        channel=Case.Channel.PORTAL,
    )
    response = login(personas.town_clerk).get(f"/activities/for-case/{case.code}/")
    assert response["Location"] == f"/cases/{case.code}/"
    assert (
        login(personas.other_town_clerk).get(f"/activities/for-case/{case.code}/").status_code
        == 404
    )


def test_a_long_roster_is_shortlisted_and_searchable(personas, login):
    from renda.deputies.models import Deputy, Seat

    term = personas.deputies["deputy"].seats.get(term__congress=personas.units["town"]).term
    for i in range(70):
        deputy = Deputy.objects.create(name=f"候选代表{i:02d}", gender="male")
        Seat.objects.create(deputy=deputy, term=term)
    activity = station_activity(personas, attended=())
    client = login(personas.town_clerk)
    page = client.get("/activities/new/")
    assert page.text.count('name="deputies"') == 60
    assert "只列出前 60 名代表" in page.text
    found = client.get(f"/activities/{activity.pk}/attendance/", {"q": "候选代表69"})
    assert found.text.count('name="deputies"') == 1
    late = Deputy.objects.get(name="候选代表69")
    # Anyone in scope is accepted, shortlisted or not.
    response = client.post(f"/activities/{activity.pk}/attendance/", {"deputies": [late.pk]})
    assert response.status_code == 302
    assert activity.attendances.get().deputy == late
