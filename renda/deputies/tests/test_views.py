"""The deputy roster and profile: scope and personal data masking."""


def test_it_lists_the_deputies_in_scope_with_phones_for_clerks(personas, login):
    response = login(personas.town_clerk).get("/deputies/")
    assert response.status_code == 200
    assert "张代表" in response.text
    assert "13900001001" in response.text
    assert "王西山" not in response.text


def test_it_masks_phones_for_a_leader(personas, login):
    response = login(personas.leader).get("/deputies/")
    assert "张代表" in response.text
    assert "139****1001" in response.text
    assert "13900001001" not in response.text


def test_it_hides_another_towns_deputy(personas, login):
    client = login(personas.other_town_clerk)
    assert client.get(f"/deputies/{personas.deputies['deputy'].pk}/").status_code == 404
    assert client.get(f"/deputies/{personas.deputies['other'].pk}/").status_code == 200


def test_it_shows_a_deputy_their_own_profile_only(personas, login):
    client = login(personas.deputy)
    own = client.get(f"/deputies/{personas.deputies['deputy'].pk}/")
    assert own.status_code == 200
    assert "13900001001" in own.text
    assert client.get(f"/deputies/{personas.deputies['city'].pk}/").status_code == 404


def test_it_filters_by_level(personas, login):
    response = login(personas.city_clerk).get("/deputies/?level=city")
    assert "赵市代" in response.text
    assert "王西山" not in response.text


def test_it_serves_the_deputies_of_a_unit_as_a_fragment(personas, login):
    client = login(personas.county_clerk)
    response = client.get(f"/deputies/of-unit/{personas.units['county'].pk}/")
    assert "张代表" in response.text
    outsider = login(personas.other_town_clerk)
    assert outsider.get(f"/deputies/of-unit/{personas.units['county'].pk}/").status_code == 404


def test_it_serves_station_and_grid_fragments_within_scope(personas, login):
    client = login(personas.station_clerk)
    assert "张代表" in client.get(f"/deputies/of-station/{personas.stations['town'].pk}/").text
    assert "张代表" in client.get(f"/deputies/of-grid/{personas.grids['town'].pk}/").text
    assert (
        client.get(f"/deputies/of-station/{personas.stations['other_town'].pk}/").status_code == 404
    )


def test_it_lists_deputies_in_few_queries(personas, login, django_assert_max_num_queries):
    client = login(personas.city_clerk)
    # session, user, memberships, installation, sectors, count, page, seats prefetch,
    # and the session's sliding expiry (savepoint, update, release).
    with django_assert_max_num_queries(11):
        client.get("/deputies/")
