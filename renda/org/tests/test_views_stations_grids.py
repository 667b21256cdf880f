"""Stations and grids pages: allowed, read-only and outsider."""


def test_it_shows_station_clerk_their_station(personas, login):
    client = login(personas.station_clerk)
    response = client.get("/org/stations/")
    assert "东湖街道代表联络站" in response.text
    assert "西山镇代表联络站" not in response.text
    detail = client.get(f"/org/stations/{personas.stations['town'].pk}/")
    assert detail.status_code == 200


def test_it_hides_another_towns_station_and_grid(personas, login):
    client = login(personas.other_town_clerk)
    assert client.get(f"/org/stations/{personas.stations['town'].pk}/").status_code == 404
    assert client.get(f"/org/grids/{personas.grids['town'].pk}/").status_code == 404
    listing = client.get("/org/grids/")
    assert "湖滨第一网格" not in listing.text
    assert "西山第一网格" in listing.text


def test_it_shows_leader_the_grids_read_only(personas, login):
    response = login(personas.leader).get("/org/grids/")
    assert response.status_code == 200
    assert "湖滨第一网格" in response.text
    assert "西山第一网格" in response.text


def test_it_filters_grids_by_town_within_scope(personas, login):
    client = login(personas.city_clerk)
    response = client.get(f"/org/grids/?region={personas.regions['town'].pk}")
    assert "湖滨第一网格" in response.text
    assert "西山第一网格" not in response.text
    outsider = login(personas.other_town_clerk).get(
        f"/org/grids/?region={personas.regions['town'].pk}"
    )
    assert outsider.status_code == 404


def test_it_refuses_a_citizen(personas, login):
    client = login(personas.citizen)
    assert client.get("/org/stations/").status_code == 403
    assert client.get("/org/grids/").status_code == 403


def test_it_lists_stations_and_grids_in_few_queries(personas, login, django_assert_max_num_queries):
    client = login(personas.city_clerk)
    # session, user, memberships, installation; the visible paths and the level's rows;
    # the session's sliding expiry (savepoint, update, release).
    with django_assert_max_num_queries(9):
        client.get("/org/stations/")
    # ... and for grids: towns for the filter, the count and the page instead of the tree.
    with django_assert_max_num_queries(10):
        client.get("/org/grids/")
