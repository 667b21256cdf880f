"""The evaluation pages per persona: list, create, results, open/close, export, the sheet."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from renda.oversight import services
from renda.oversight.models import Evaluation, Score
from renda.oversight.tests.helpers import full_sheet, make_evaluation

pytestmark = pytest.mark.django_db

# Who sees an evaluation organised by 东湖街道人大工委.
SEES = {"admin", "city_clerk", "county_clerk", "town_clerk", "leader"}
ALL = SEES | {"other_town_clerk", "other_county_clerk", "unit_handler", "deputy", "citizen"}


@pytest.mark.parametrize("name", sorted(ALL))
def test_it_scopes_the_results_page(personas, login, name):
    evaluation = make_evaluation(personas)
    response = login(personas.users[name]).get(f"/oversight/evaluations/{evaluation.pk}/")
    if name in SEES:
        assert response.status_code == 200
        assert "东湖街道办事处" in response.text
    else:
        assert response.status_code in (403, 404)
    if name in ("other_town_clerk", "other_county_clerk"):
        assert response.status_code == 404
        listing = login(personas.users[name]).get("/oversight/evaluations/")
        assert evaluation.title not in listing.text


def test_the_clerk_creates_opens_and_closes(personas, login):
    client = login(personas.town_clerk)
    page = client.get("/oversight/evaluations/new/")
    assert page.status_code == 200
    assert "东湖街道办事处" in page.text and "张代表" in page.text
    assert "西山镇人民政府" not in page.text and "王西山" not in page.text
    response = client.post(
        "/oversight/evaluations/new/",
        {
            "title": "街道部门满意度测评",
            "opens_on": "2026-11-01",
            "closes_on": "2026-11-30",
            "subject_units": [personas.units["town_gov"].pk],
            "subject_items": "路灯整改\n\n垃圾分类整改",
            "raters": [personas.deputies["deputy"].pk],
        },
    )
    evaluation = Evaluation.objects.get()
    assert response.status_code == 302
    assert evaluation.congress == personas.units["town"]
    assert evaluation.subjects.count() == 3
    client.post(f"/oversight/evaluations/{evaluation.pk}/open/")
    evaluation.refresh_from_db()
    assert evaluation.status == "open"
    client.post(f"/oversight/evaluations/{evaluation.pk}/close/")
    evaluation.refresh_from_db()
    assert evaluation.status == "closed"


def test_create_refuses_bad_input_and_out_of_scope_choices(personas, login):
    client = login(personas.town_clerk)
    response = client.post(
        "/oversight/evaluations/new/",
        {
            "title": "测评",
            "opens_on": "2026-11-30",
            "closes_on": "2026-11-01",
            "subject_units": [personas.units["other_town_gov"].pk],
            "raters": [personas.deputies["other"].pk],
        },
    )
    assert response.status_code == 400
    assert "截止日期不能早于开始日期" in response.text
    assert not Evaluation.objects.exists()


def test_create_needs_a_subject(personas, login):
    response = login(personas.town_clerk).post(
        "/oversight/evaluations/new/",
        {
            "title": "测评",
            "opens_on": "2026-11-01",
            "closes_on": "2026-11-30",
            "raters": [personas.deputies["deputy"].pk],
        },
    )
    assert response.status_code == 400
    assert "请至少选择一个测评对象" in response.text


@pytest.mark.parametrize("name", ["leader", "deputy", "citizen", "unit_handler"])
def test_others_cannot_create_or_open(personas, login, name):
    evaluation = make_evaluation(personas, open_it=False)
    client = login(personas.users[name])
    assert client.get("/oversight/evaluations/new/").status_code == 403
    assert client.post(f"/oversight/evaluations/{evaluation.pk}/open/").status_code in (403, 404)
    evaluation.refresh_from_db()
    assert evaluation.status == "draft"


def test_other_town_clerk_cannot_open(personas, login):
    evaluation = make_evaluation(personas, open_it=False)
    client = login(personas.other_town_clerk)
    assert client.post(f"/oversight/evaluations/{evaluation.pk}/open/").status_code == 404


def test_the_deputy_scores_on_the_sheet(personas, login):
    evaluation = make_evaluation(personas)
    client = login(personas.deputy)
    mine = client.get("/oversight/mine/")
    assert evaluation.title in mine.text and "待测评" in mine.text
    page = client.get(f"/oversight/mine/{evaluation.pk}/")
    assert page.status_code == 200 and 'type="radio"' in page.text
    a, b = evaluation.subjects.all()
    response = client.post(
        f"/oversight/mine/{evaluation.pk}/",
        {f"value-{a.pk}": "satisfied", f"value-{b.pk}": "unsatisfied", f"comment-{b.pk}": "进度慢"},
    )
    assert response.status_code == 302
    assert Score.objects.count() == 2
    again = client.post(
        f"/oversight/mine/{evaluation.pk}/",
        {f"value-{a.pk}": "unsatisfied", f"value-{b.pk}": "unsatisfied"},
    )
    assert again.status_code == 400
    assert "不能重复测评" in again.text
    assert Score.objects.filter(value="unsatisfied").count() == 1


def test_the_sheet_refuses_a_partial_submit(personas, login):
    evaluation = make_evaluation(personas)
    a = evaluation.subjects.first()
    response = login(personas.deputy).post(
        f"/oversight/mine/{evaluation.pk}/", {f"value-{a.pk}": "satisfied"}
    )
    assert response.status_code == 400
    assert "尚未评价" in response.text
    assert not Score.objects.exists()


def test_the_sheet_of_a_closed_evaluation_cannot_be_submitted(personas, login):
    evaluation = make_evaluation(personas)
    services.evaluation_close(actor=personas.town_clerk, evaluation=evaluation)
    client = login(personas.deputy)
    response = client.post(f"/oversight/mine/{evaluation.pk}/", _form(full_sheet(evaluation)))
    assert response.status_code == 400
    assert "未在进行中" in response.text
    assert not Score.objects.exists()


@pytest.mark.parametrize("name", ["citizen", "town_clerk", "other_town_clerk"])
def test_a_non_rater_gets_no_sheet(personas, login, name):
    evaluation = make_evaluation(personas)
    client = login(personas.users[name])
    assert client.get(f"/oversight/mine/{evaluation.pk}/").status_code == 404
    response = client.post(f"/oversight/mine/{evaluation.pk}/", _form(full_sheet(evaluation)))
    assert response.status_code == 404
    assert not Score.objects.exists()


def test_a_draft_is_not_on_the_raters_list(personas, login):
    evaluation = make_evaluation(personas, open_it=False)
    client = login(personas.deputy)
    assert evaluation.title not in client.get("/oversight/mine/").text
    assert client.get(f"/oversight/mine/{evaluation.pk}/").status_code == 404


def _form(sheet):
    data = {}
    for pk, (value, comment) in sheet.items():
        data[f"value-{pk}"] = value
        data[f"comment-{pk}"] = comment
    return data


def _scored(personas):
    """Two raters: 张代表 and a committee member (the station clerk's account)."""
    evaluation = make_evaluation(personas, rater_users=[personas.station_clerk])
    a, b = evaluation.subjects.all()
    services.score_cast(
        actor=personas.deputy,
        evaluation=evaluation,
        scores={a.pk: ("satisfied", "服务热情"), b.pk: ("unsatisfied", "进度慢")},
    )
    services.score_cast(
        actor=personas.station_clerk,
        evaluation=evaluation,
        scores={a.pk: ("basic", ""), b.pk: ("satisfied", "")},
    )
    return evaluation


def test_results_count_rate_and_hide_raters(personas, login, django_assert_num_queries):
    evaluation = _scored(personas)
    client = login(personas.town_clerk)
    # session, user, memberships (the scope), the evaluation, comments, rater progress,
    # subjects with their counts, the installation banner. Raters' names are never read.
    with django_assert_num_queries(8):
        client.get(f"/oversight/evaluations/{evaluation.pk}/")
    response = client.get(f"/oversight/evaluations/{evaluation.pk}/")
    text = response.text
    assert "100.0%" in text  # 东湖街道办事处: 1 满意 + 1 基本满意
    assert "50.0%" in text  # the item: 1 满意 + 1 不满意
    assert "1 / 1" not in text and "2 / 2" in text
    assert "服务热情" in text and "进度慢" in text
    assert "张代表" not in text and "联络站管理员" not in text.split("</header>")[-1]


def test_results_query_count_is_flat(personas, login, django_assert_num_queries):
    evaluation = _scored(personas)
    client = login(personas.town_clerk)
    client.get(f"/oversight/evaluations/{evaluation.pk}/")
    with CaptureQueriesContext(connection) as ctx:
        client.get(f"/oversight/evaluations/{evaluation.pk}/")
    expected = len(ctx.captured_queries)
    more = make_evaluation(personas, rater_users=[personas.station_clerk, personas.leader])
    for user in (personas.deputy, personas.station_clerk, personas.leader):
        services.score_cast(actor=user, evaluation=more, scores=full_sheet(more, "basic", "意见"))
    with django_assert_num_queries(expected):
        client.get(f"/oversight/evaluations/{more.pk}/")


def test_export_has_the_results(personas, login):
    evaluation = _scored(personas)
    response = login(personas.town_clerk).get(f"/oversight/evaluations/{evaluation.pk}/export/")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:7] == ("序号", "测评对象", "满意", "基本满意", "不满意", "有效票", "满意率")
    assert rows[1][1:7] == ("东湖街道办事处", 1, 1, 0, 2, "100.0%")
    assert rows[2][6] == "50.0%"
    assert "张代表" not in str(rows)
    other = login(personas.other_town_clerk).get(f"/oversight/evaluations/{evaluation.pk}/export/")
    assert other.status_code == 404


def _member(personas, username: str, unit: str):
    from renda.accounts.services import user_create
    from renda.org.roles import Role
    from renda.org.services import membership_grant
    from renda.testing import PASSWORD

    user = user_create(username=username, password=PASSWORD, full_name="王委员", validate=False)
    membership_grant(user=user, role=Role.LEADER, unit=personas.units[unit])
    return user


def test_committee_members_are_picked_as_raters_and_get_their_sheet(personas, login):
    member = _member(personas, "town_member", "town")
    form = login(personas.town_clerk).get("/oversight/evaluations/new/")
    assert "王委员" in form.text and "测评的常委会组成人员" in form.text
    response = login(personas.town_clerk).post(
        "/oversight/evaluations/new/",
        {
            "title": "委员测评",
            "opens_on": "2026-11-01",
            "closes_on": "2026-11-30",
            "subject_items": "背街小巷整治",
            "members": [member.pk],
        },
    )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get(title="委员测评")
    [rater] = evaluation.raters.all()
    assert (rater.user_id, rater.deputy_id) == (member.pk, None)
    login(personas.town_clerk).post(f"/oversight/evaluations/{evaluation.pk}/open/")
    assert "委员测评" in login(member).get("/oversight/mine/").text


def test_create_refuses_another_congress_member_and_no_rater(personas, login):
    outsider = _member(personas, "other_member", "other_town")
    client = login(personas.town_clerk)
    base = {"title": "测评", "opens_on": "2026-11-01", "closes_on": "2026-11-30"}
    base["subject_items"] = "背街小巷整治"
    response = client.post("/oversight/evaluations/new/", {**base, "members": [outsider.pk]})
    assert response.status_code == 400
    response = client.post("/oversight/evaluations/new/", base)
    assert response.status_code == 400
    assert "请至少选择一名测评人" in response.text
    assert not Evaluation.objects.exists()
