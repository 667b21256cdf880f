"""代表进网格 (/deputies/grid-coverage/): the grids of a town that have no deputy yet."""

import pytest

from renda.deputies.models import GridAssignment, Seat
from renda.org.services import grid_create


@pytest.fixture
def empty_grid(personas):
    return grid_create(code="G-T1-02", name="湖滨第二网格", region=personas.regions["village"])


def _uncovered(response) -> str:
    return response.text.split('data-testid="uncovered-grids"')[1].split("</ul>")[0]


def test_it_names_the_grids_without_a_deputy(personas, login, empty_grid):
    response = login(personas.town_clerk).get("/deputies/grid-coverage/")
    assert response.status_code == 200
    assert "这些网格还没有代表" in response.text
    assert "湖滨第二网格" in _uncovered(response)
    assert "湖滨第一网格" not in _uncovered(response)
    assert "共有网格 2 个，已有代表 1 个" in response.text


def test_a_deputy_who_left_does_not_cover_a_grid(personas, login):
    Seat.objects.filter(deputy=personas.deputies["deputy"]).update(status=Seat.Status.RESIGNED)
    response = login(personas.town_clerk).get("/deputies/grid-coverage/")
    assert "湖滨第一网格" in _uncovered(response)


def test_assigning_a_deputy_covers_the_grid(personas, login, empty_grid):
    GridAssignment.objects.create(deputy=personas.deputies["deputy"], grid=empty_grid)
    response = login(personas.town_clerk).get("/deputies/grid-coverage/")
    assert "所有网格均已有代表" in response.text


def test_a_county_clerk_picks_a_town(personas, login, empty_grid):
    client = login(personas.county_clerk)
    page = client.get("/deputies/grid-coverage/")
    assert "东湖街道" in page.text and "南湖镇" in page.text and "西山镇" not in page.text
    other = client.get("/deputies/grid-coverage/", {"town": personas.regions["town2"].pk})
    assert "南湖镇共有网格 0 个" in other.text


def test_another_towns_clerk_cannot_open_this_town(personas, login, empty_grid):
    client = login(personas.other_town_clerk)
    assert (
        client.get("/deputies/grid-coverage/", {"town": personas.regions["town"].pk}).status_code
        == 404
    )
    own = client.get("/deputies/grid-coverage/")
    assert "湖滨" not in own.text and "西山第一网格" not in _uncovered(own)


@pytest.mark.parametrize("name", ["deputy", "citizen", "unit_handler"])
def test_roles_without_the_roster_get_403(personas, login, name):
    assert login(getattr(personas, name)).get("/deputies/grid-coverage/").status_code == 403


def test_the_page_keeps_its_query_count(personas, login, empty_grid, django_assert_max_num_queries):
    client = login(personas.county_clerk)
    client.get("/deputies/grid-coverage/")
    # session, user, memberships, installation, towns, grids with counts; session save 3.
    with django_assert_max_num_queries(10):
        client.get("/deputies/grid-coverage/")


def test_the_roster_links_to_the_coverage_page(personas, login):
    response = login(personas.town_clerk).get("/deputies/")
    assert 'href="/deputies/grid-coverage/"' in response.text


@pytest.mark.parametrize(
    "name, shown",
    [("town_clerk", True), ("county_clerk", True), ("deputy", False), ("citizen", False)],
)
def test_the_roster_links_to_the_page_only_for_those_who_may_open_it(personas, login, name, shown):
    response = login(getattr(personas, name)).get("/deputies/")
    assert response.status_code == 200
    assert ("/deputies/grid-coverage/" in response.text) is shown
