"""The unit tree: allowed, read-only and outsider for each page."""

import pytest


def test_it_shows_town_clerk_their_units(personas, login):
    response = login(personas.town_clerk).get("/org/")
    assert response.status_code == 200
    assert "东湖街道人大工委" in response.text
    assert "西山镇" not in response.text


def test_it_shows_city_clerk_the_whole_tree_from_the_top(personas, login):
    response = login(personas.city_clerk).get("/org/")
    assert "示例市人大常委会" in response.text
    assert "示例市人民政府" in response.text


def test_it_shows_leader_read_only(personas, login):
    response = login(personas.leader).get(f"/org/units/{personas.units['town'].pk}/")
    assert response.status_code == 200
    assert "东湖街道人大工委" in response.text


def test_it_hides_another_towns_unit(personas, login):
    client = login(personas.other_town_clerk)
    assert client.get(f"/org/units/{personas.units['town'].pk}/").status_code == 404
    assert client.get(f"/org/units/{personas.units['town'].pk}/children/").status_code == 404


def test_it_expands_children_with_htmx(personas, login):
    response = login(personas.county_clerk).get(
        f"/org/units/{personas.units['county'].pk}/children/", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "东湖街道人大工委" in response.text
    assert "<html" not in response.text


@pytest.mark.parametrize("persona", ["deputy", "citizen"])
def test_it_refuses_people_without_org_access(personas, login, persona):
    client = login(getattr(personas, persona))
    assert client.get("/org/").status_code == 403
    assert client.get(f"/org/units/{personas.units['town'].pk}/").status_code == 403


def test_it_sends_anonymous_users_to_login(client, personas):
    response = client.get("/org/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_lists_the_top_of_the_tree_in_few_queries(
    personas, login, django_assert_max_num_queries
):
    client = login(personas.city_clerk)
    # session + user + memberships, installation, the visible paths, the tops with
    # member counts, and the nav's scope (cached on the request's user).
    with django_assert_max_num_queries(10):
        client.get("/org/")
