"""The workbench: every persona lands on their own, with their role and scope."""

import pytest

from renda.org.models import Installation

ROLE_LABELS = {
    "admin": "系统管理员",
    "city_clerk": "人大工作人员",
    "county_clerk": "人大工作人员",
    "town_clerk": "人大工作人员",
    "other_town_clerk": "人大工作人员",
    "station_clerk": "联络站工作人员",
    "unit_handler": "承办单位经办人",
    "leader": "领导",
    "deputy": "人大代表",
    "citizen": "群众",
}


@pytest.mark.parametrize("persona", sorted(ROLE_LABELS))
def test_it_shows_each_persona_their_workbench(personas, login, persona):
    response = login(getattr(personas, persona)).get("/")
    assert response.status_code == 200
    assert ROLE_LABELS[persona] in response.text
    assert "数据范围" in response.text


def test_it_counts_only_what_the_town_clerk_sees(personas, login):
    response = login(personas.town_clerk).get("/")
    assert response.context["counts"] == {"units": 2, "stations": 2, "grids": 1, "deputies": 1}


def test_it_gives_the_menu_by_role(personas, login):
    clerk = login(personas.town_clerk).get("/").text
    assert "代表名册" in clerk
    assert "系统管理" not in clerk
    citizen = login(personas.citizen).get("/").text
    assert "组织机构" not in citizen
    assert "代表名册" not in citizen


PORTAL_ENTRIES = {
    "citizen": {"/p/submit/", "/p/mine/", "/p/track/", "/p/public/"},
    "deputy": {"/p/collect/", "/p/collected/"},
}


@pytest.mark.parametrize("persona", ["citizen", "deputy", "town_clerk", "unit_handler"])
def test_citizens_and_deputies_find_their_portal_pages_in_the_menu(personas, login, persona):
    client = login(getattr(personas, persona))
    shortcuts = {item.url for item in client.get("/").context["shortcuts"]}
    for owner, urls in PORTAL_ENTRIES.items():
        if owner == persona:
            assert urls <= shortcuts
            for url in urls:
                assert client.get(url).status_code == 200
        else:
            assert not urls & shortcuts


def test_a_handler_finds_the_review_opinions_and_each_page_is_listed_once(personas, login):
    handler = login(personas.unit_handler).get("/").context["shortcuts"]
    assert "/reviews/" in {item.url for item in handler}
    for persona in ("unit_handler", "town_clerk", "deputy", "admin"):
        urls = [i.url for i in login(getattr(personas, persona)).get("/").context["shortcuts"]]
        assert len(urls) == len(set(urls))


def test_it_shows_a_deputy_their_own_record(personas, login):
    response = login(personas.deputy).get("/")
    assert "我的代表信息" in response.text
    assert "东湖区人大常委会第8届" in response.text


def test_it_marks_demo_data_on_every_page(personas, client, login):
    Installation.objects.create(name="清江市人大履职服务平台", is_demo=True)
    assert "演示数据" in client.get("/accounts/login/").text
    client = login(personas.town_clerk)
    for url in ["/", "/org/", "/org/stations/", "/org/grids/", "/deputies/", "/calendar/"]:
        assert "演示数据" in client.get(url).text, url
    assert "演示数据" in login(personas.admin).get("/admin/").text
