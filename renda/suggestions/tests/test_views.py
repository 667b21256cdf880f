"""The suggestion pages per persona: scope (a clerk of one town never sees another town's),
filing, the steps through their endpoints, the promise list and the Excel export."""

import io

import pytest
from openpyxl import load_workbook

from renda.cases.models import Case, Category
from renda.suggestions import services
from renda.suggestions.models import CongressSession, Promise, Suggestion
from renda.suggestions.tests.helpers import answered, file

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def town_suggestion(personas) -> Suggestion:
    """张代表's suggestion to 东湖街道人大工委 (a town-level congress body)."""
    return services.suggestion_file(
        actor=personas.deputy,
        congress=personas.units["town"],
        session=None,
        title="湖滨路增设公交站的建议",
        content="湖滨社区居民出行不便，建议增设公交站点。",
        category=Category.objects.order_by("pk").first(),
    )


# The station clerk of 东湖街道 sees what is raised in the station's town, as with cases.
SEES_TOWN = {
    "admin",
    "city_clerk",
    "county_clerk",
    "town_clerk",
    "leader",
    "deputy",
    "station_clerk",
}
OUTSIDERS = {"other_town_clerk", "other_county_clerk", "unit_handler", "citizen"}


@pytest.mark.parametrize("name", sorted(SEES_TOWN | OUTSIDERS))
def test_it_scopes_the_list_the_page_and_the_export(personas, login, name):
    s = town_suggestion(personas)
    client = login(personas.users[name])
    listing = client.get("/suggestions/")
    page = client.get(f"/suggestions/{s.case.code}/")
    export = client.get("/suggestions/export/")
    sheet = load_workbook(io.BytesIO(export.content)).active
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    if name in SEES_TOWN:
        assert s.case.title in listing.text and page.status_code == 200
        assert codes == [s.case.code]
    else:
        assert s.case.title not in listing.text and page.status_code == 404
        assert codes == []


def test_a_clerk_of_another_town_sees_neither_review_queue_nor_promises(personas, login, c):
    s = answered(personas, c, answer_class="B")
    t = town_suggestion(personas)
    other = login(personas.other_county_clerk)
    assert s.case.title not in other.get("/suggestions/review/").text
    assert "5个小区" not in other.get("/suggestions/promises/").text
    town = login(personas.town_clerk)
    review = town.get("/suggestions/review/")
    assert t.case.title in review.text and s.case.title not in review.text
    assert login(personas.county_clerk).get("/suggestions/promises/").text.count("5个小区") == 1


def test_only_reviewers_open_the_review_queue(personas, login):
    assert login(personas.deputy).get("/suggestions/review/").status_code == 403
    assert login(personas.unit_handler).get("/suggestions/review/").status_code == 403


def test_the_list_takes_a_fixed_number_of_queries(
    personas, login, c, django_assert_max_num_queries
):
    for _ in range(3):
        file(personas, c)
    client = login(personas.county_clerk)
    client.get("/suggestions/")  # warm the session and scope
    # session, user, memberships, suggestions, lead assignments, cosign box, can_file (2),
    # and the base template's own reads.
    with django_assert_max_num_queries(14):
        response = client.get("/suggestions/")
    assert response.text.count("关于加快老旧小区加装电梯的建议") == 3


def test_a_deputy_files_on_the_form(personas, login, c):
    client = login(personas.deputy)
    page = client.get("/suggestions/new/")
    assert page.status_code == 200
    assert "钱代表" in page.text and "王西山" not in page.text
    category = Category.objects.order_by("pk").first()
    response = client.post(
        "/suggestions/new/",
        {
            "congress": c.congress.pk,
            "session": "",
            "title": "关于增设社区食堂的建议",
            "category": category.pk,
            "content": "建议在湖滨社区增设老年食堂。",
            "cosigners": [d.pk for d in c.cosigners],
        },
    )
    s = Suggestion.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/suggestions/{s.case.code}/"
    assert s.cosigners.count() == 2 and s.congress == c.congress


def test_the_form_refuses_a_cosigner_outside_the_congress(personas, login, c):
    client = login(personas.deputy)
    response = client.post(
        "/suggestions/new/",
        {
            "congress": personas.units["town"].pk,
            "session": "",
            "title": "关于增设社区食堂的建议",
            "category": Category.objects.order_by("pk").first().pk,
            "content": "建议在湖滨社区增设老年食堂。",
            "cosigners": [c.cosigners[0].pk],
        },
    )
    assert response.status_code == 400
    assert "“钱代表”不是东湖街道人大工委的在任代表，不能联名" in response.text
    assert not Case.objects.exists()


def test_only_deputies_file(personas, login):
    assert login(personas.citizen).get("/suggestions/new/").status_code == 403
    assert login(personas.town_clerk).get("/suggestions/new/").status_code == 403


def test_the_steps_through_their_endpoints(personas, login, c):
    s = file(personas, c)
    code = s.case.code
    url = f"/suggestions/{code}/"

    def v() -> int:
        return Case.objects.get(pk=s.case.pk).version

    for user in c.cosigner_users:
        assert "确认联名" in login(user).get(url).text
        login(user).post(url + "cosign/", {"agree": "1"})
    clerk = login(personas.county_clerk)
    assert 'data-testid="form-review"' in clerk.get(url).text
    clerk.post(url + "review/", {"version": v(), "decision": "accept", "reason": ""})
    clerk.post(
        url + "assign/", {"version": v(), "lead_unit": c.lead_unit.pk, "co_units": [c.co_unit.pk]}
    )
    s.case.refresh_from_db()
    assert s.case.state == Case.State.ASSIGNED
    co = login(c.co_handler)
    assert 'data-testid="form-co-view"' in co.get(url).text
    co.post(url + "co-view/", {"content": "街道配合协调。"})
    lead = login(c.lead_handler)
    lead.post(url + "sign/", {"version": v()})
    # Bad input on the answer: a B class without its promise changes nothing.
    response = lead.post(
        url + "answer/",
        {"version": v(), "answer_class": "B", "reply": "列入明年计划。"},
        follow=True,
    )
    assert "请填写承诺事项" in response.text
    s.case.refresh_from_db()
    assert s.case.state == Case.State.HANDLING
    lead.post(
        url + "answer/",
        {
            "version": v(),
            "answer_class": "B",
            "reply": "列入明年计划。",
            "promise": "2027年完成加装",
            "promise_due": "2027-06-30",
        },
    )
    deputy = login(personas.deputy)
    assert 'data-testid="form-rate"' in deputy.get(url).text
    deputy.post(
        url + "rate/",
        {"version": v(), "answer": "satisfied", "contact": "satisfied", "contact_before": "on"},
    )
    s.case.refresh_from_db()
    assert s.case.state == Case.State.CLOSED
    promise = Promise.objects.get()
    clerk = login(personas.county_clerk)
    clerk.post(f"/suggestions/promises/{promise.pk}/keep/", {"note": "已完成加装。"})
    promise.refresh_from_db()
    assert promise.kept_at is not None


def test_an_extension_past_the_limit_shows_the_reason(personas, login, c):
    from renda.suggestions.tests.helpers import assigned

    s = assigned(personas, c)
    s.case.refresh_from_db()
    response = login(personas.county_clerk).post(
        f"/suggestions/{s.case.code}/extend/",
        {"version": s.case.version, "until": "2027-04-01", "reason": "情况复杂"},
        follow=True,
    )
    assert "不能超过交办之日起6个月（2027年03月15日）" in response.text
    s.case.refresh_from_db()
    assert str(s.case.deadline) == "2026-12-15"


def test_a_handler_cannot_act_for_the_clerk(personas, login, c):
    s = file(personas, c, cosigners=[])
    response = login(c.lead_handler).post(
        f"/suggestions/{s.case.code}/review/", {"version": 1, "decision": "accept"}
    )
    assert response.status_code == 404
    response = login(personas.other_county_clerk).post(
        f"/suggestions/{s.case.code}/review/", {"version": 1, "decision": "accept"}
    )
    assert response.status_code == 404
    s.refresh_from_db()
    assert s.review == "pending"


def test_an_unknown_step_is_not_found(personas, login, c):
    s = file(personas, c, cosigners=[])
    response = login(personas.county_clerk).post(f"/suggestions/{s.case.code}/delete/")
    assert response.status_code == 404


def test_a_clerk_opens_and_closes_a_session(personas, login, c):
    client = login(personas.county_clerk)
    page = client.get("/suggestions/sessions/")
    assert page.status_code == 200 and "东湖区人大常委会第8届" in page.text
    assert "西山县人大常委会" not in page.text
    response = client.post(
        "/suggestions/sessions/",
        {"term": c.term.pk, "number": 3, "opens_on": "2026-09-14", "closes_on": "2026-09-13"},
    )
    assert response.status_code == 400 and "闭幕日期不能早于开幕日期" in response.text
    client.post(
        "/suggestions/sessions/",
        {"term": c.term.pk, "number": 3, "opens_on": "2026-09-14", "closes_on": "2026-09-16"},
    )
    session = CongressSession.objects.get()
    # The deputy's form offers it while it is open.
    offered = "大会期间：东湖区人大常委会第8届第3次会议"
    assert offered in login(personas.deputy).get("/suggestions/new/").text
    other = login(personas.other_county_clerk)
    assert "第3次会议" not in other.get("/suggestions/sessions/").text
    assert other.post(f"/suggestions/sessions/{session.pk}/close/").status_code == 404
    login(personas.county_clerk).post(f"/suggestions/sessions/{session.pk}/close/")
    session.refresh_from_db()
    assert session.status == "closed"
    assert offered not in login(personas.deputy).get("/suggestions/new/").text
    assert login(personas.deputy).get("/suggestions/sessions/").status_code == 403


def test_the_case_page_does_not_offer_the_opinion_loops_intake(personas, login, c):
    s = file(personas, c, cosigners=[])
    page = login(personas.county_clerk).get(f"/cases/{s.case.code}/")
    assert page.status_code == 200
    assert 'data-testid="form-accept"' not in page.text
    assert 'data-testid="form-assign"' not in page.text


def test_the_case_page_leaves_the_answer_and_rating_to_the_suggestion_page(personas, login, c):
    s = file(personas, c, cosigners=[])
    clerk = login(personas.county_clerk)
    url = f"/suggestions/{s.case.code}/"

    def v() -> int:
        return Case.objects.get(pk=s.case.pk).version

    clerk.post(url + "review/", {"version": v(), "decision": "accept", "reason": ""})
    clerk.post(url + "assign/", {"version": v(), "lead_unit": c.lead_unit.pk, "co_units": []})
    lead = login(c.lead_handler)
    lead.post(url + "sign/", {"version": v()})
    page = lead.get(f"/cases/{s.case.code}/")
    assert 'data-testid="form-reply"' not in page.text
    assert f'href="{url}"' in page.text  # the link to where it is answered
    response = lead.post(
        f"/cases/{s.case.code}/act/reply/",
        {"version": v(), "result_class": "resolved", "reply": "已解决。"},
    )
    assert response.status_code == 403
    assert "请在代表建议页面答复和评价" in response.text
    assert Case.objects.get(pk=s.case.pk).state == Case.State.HANDLING
