"""`seed_demo` and `demo_city_seed`: the shape of the demo city, its accounts, determinism."""

from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.db import transaction

from renda.accounts.models import User
from renda.cases.models import Case
from renda.demo.names import is_demo_phone
from renda.demo.plan import DEMO_PASSWORD, DEMO_USERNAMES, PLATFORM_NAME, city_plan
from renda.demo.services import demo_city_seed
from renda.deputies.models import Deputy, GridAssignment, Seat, StationMembership
from renda.org.models import Grid, Installation, OrgUnit, Region, Station
from renda.org.selectors import units_for_user

SEED = 7


@pytest.fixture
def demo_city(db):
    # The city without its cases: test_cases_seed.py covers those.
    return demo_city_seed(size="small", seed=SEED, cases=0)


def _fingerprint() -> dict[str, list[tuple]]:
    """The seeded data by natural keys (primary keys differ between databases and runs)."""
    return {
        "regions": sorted(Region.objects.values_list("code", "name", "level")),
        "units": sorted(OrgUnit.objects.values_list("code", "name", "region__code")),
        "stations": sorted(Station.objects.values_list("code", "name", "path")),
        "grids": sorted(Grid.objects.values_list("code", "name", "region__code")),
        "deputies": sorted(
            Deputy.objects.values_list("phone", "name", "gender", "work_unit", "post")
        ),
        "seats": sorted(
            Seat.objects.values_list("deputy__phone", "term__congress__code", "constituency")
        ),
        "stations_joined": sorted(
            StationMembership.objects.values_list("deputy__phone", "station__code", "since")
        ),
        "grids_joined": sorted(GridAssignment.objects.values_list("deputy__phone", "grid__code")),
        "users": sorted(User.objects.values_list("username", "full_name", "phone")),
    }


def test_it_builds_the_small_city_in_the_expected_shape(demo_city):
    assert Region.objects.filter(level="province").count() == 1
    assert Region.objects.filter(level="city").count() == 1
    assert (demo_city.counties, demo_city.towns, demo_city.villages) == (2, 4, 20)
    assert demo_city.city_seats > 0 and demo_city.county_seats > 0 and demo_city.town_seats > 0
    assert 50 <= demo_city.deputies <= 70
    assert demo_city.deputies_with_two_seats > 0
    assert demo_city.handling_units > 0 and demo_city.congress_units > 0
    # Every tree is consistent by treebeard's own check.
    for model in (Region, OrgUnit, Station):
        assert all(not problem for problem in model.objects.find_problems())


def test_it_gives_every_town_a_station_and_a_congress_body(demo_city):
    for town in Region.objects.filter(level="town"):
        station = Station.objects.get(
            region=town, kind=Station.Kind.STATION, specialty=Station.Specialty.REGIONAL
        )
        assert station.congress.region == town
        assert station.congress.kind in (OrgUnit.Kind.PRESIDIUM, OrgUnit.Kind.STREET_COMMITTEE)
        assert OrgUnit.objects.filter(
            region=town, handling_kind=OrgUnit.HandlingKind.TOWN_GOVERNMENT
        ).exists()
    assert Station.objects.filter(kind=Station.Kind.HUB).count() == 1
    assert Station.objects.filter(kind=Station.Kind.POINT).exists()
    assert Station.objects.filter(specialty=Station.Specialty.SECTOR).exclude(sector="").exists()
    cross = Station.objects.get(specialty=Station.Specialty.CROSS_REGION, region__code="331002001")
    assert cross.serves_region is not None and cross.serves_region != cross.region


def test_it_puts_every_county_and_town_congress_under_the_one_above(demo_city):
    city = OrgUnit.objects.get(kind=OrgUnit.Kind.CONGRESS, region__level="city")
    for county in OrgUnit.objects.filter(kind=OrgUnit.Kind.CONGRESS, region__level="county"):
        assert OrgUnit.objects.get_parent(county) == city
    for town in OrgUnit.objects.filter(kind__in=["presidium", "street_committee"]):
        assert OrgUnit.objects.get_parent(town).region == Region.objects.get_parent(town.region)


def test_it_keeps_every_phone_in_the_demo_range(demo_city):
    phones = list(Deputy.objects.values_list("phone", flat=True))
    phones += User.objects.exclude(phone="").values_list("phone", flat=True)
    assert phones
    assert all(is_demo_phone(phone) for phone in phones), phones


def test_it_creates_every_demo_account_that_can_log_in(client, demo_city):
    assert set(User.objects.values_list("username", flat=True)) == set(DEMO_USERNAMES)
    for username in DEMO_USERNAMES:
        response = client.post(
            "/accounts/login/", {"username": username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, username
        assert response.url == "/", username
        client.logout()
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert all(user.full_name for user in User.objects.all())
    assert not User.objects.get(username="citizen").memberships.exists()


def test_it_links_the_deputy_account_to_seats_in_town_clerks_town(demo_city):
    deputy = Deputy.objects.get(user__username="deputy")
    town = User.objects.get(username="town_clerk").memberships.get().unit.region
    seats = {s.term.congress.region.level: s.term.congress.region for s in deputy.seats.all()}
    assert seats == {"county": Region.objects.get_parent(town), "town": town}
    assert deputy.station_memberships.filter(station__region=town).exists()
    assert deputy.grid_assignments.filter(grid__region__path__startswith=town.path).exists()
    station_clerk = User.objects.get(username="station_clerk").memberships.get()
    assert station_clerk.station.region == town


def test_it_leaves_some_grids_of_one_town_without_a_deputy(demo_city):
    empty = Grid.objects.filter(deputy_assignments__isnull=True)
    assert demo_city.grids_without_deputy == empty.count() == 2
    town = User.objects.get(username="town_clerk").memberships.get().unit.region
    assert all(grid.region.path.startswith(town.path) for grid in empty)


def test_it_gives_town_clerks_of_two_counties_disjoint_units(demo_city):
    town_clerk = User.objects.get(username="town_clerk")
    other = User.objects.get(username="other_town_clerk")
    mine = set(units_for_user(town_clerk).values_list("pk", flat=True))
    theirs = set(units_for_user(other).values_list("pk", flat=True))
    assert mine and theirs
    assert not mine & theirs
    town = town_clerk.memberships.get().unit.region
    other_town = other.memberships.get().unit.region
    assert Region.objects.get_parent(town) != Region.objects.get_parent(other_town)


def test_it_marks_the_installation_as_a_demo(demo_city):
    installation = Installation.objects.get()
    assert installation.is_demo
    assert (installation.demo_seed, installation.demo_size) == (SEED, "small")
    assert installation.name == PLATFORM_NAME


def test_it_does_not_fill_the_operation_log(demo_city):
    assert not LogEntry.objects.exists()


def test_it_plans_the_same_city_for_the_same_seed():
    first = city_plan(size="small", seed=SEED)
    assert first == city_plan(size="small", seed=SEED)
    names = [p.name for p in first.persons]
    other = [p.name for p in city_plan(size="small", seed=SEED + 1).persons]
    assert names != other


def test_it_writes_the_same_city_for_the_same_seed(db):
    def seed_and_fingerprint() -> dict[str, list[tuple]]:
        with transaction.atomic():
            demo_city_seed(size="small", seed=SEED, cases=0)
            fingerprint = _fingerprint()
            transaction.set_rollback(True)
        return fingerprint

    first = seed_and_fingerprint()
    assert not Region.objects.exists()
    assert seed_and_fingerprint() == first


def test_it_seeds_through_the_command_and_prints_the_accounts(db):
    out = StringIO()
    call_command("seed_demo", "--size", "small", "--seed", "3", "--cases", "15", stdout=out)
    text = out.getvalue()
    assert "乡镇街道" in text
    assert "民情事项" in text and "办理记录" in text
    # The opinion cases, and the personas' few; the size's suggestions come beside them.
    assert 15 <= Case.objects.filter(suggestion__isnull=True).count() <= 25
    assert "代表建议" in text and Case.objects.filter(kind=Case.Kind.SUGGESTION).exists()
    assert "town_clerk" in text and DEMO_PASSWORD in text and "人大工作人员" in text
    assert Installation.objects.get().demo_seed == 3


def test_it_leaves_a_seeded_database_untouched_with_if_empty(demo_city):
    before = _fingerprint()
    out = StringIO()
    call_command("seed_demo", "--if-empty", "--size", "small", "--seed", "99", stdout=out)
    assert _fingerprint() == before
    assert Installation.objects.get().demo_seed == SEED
    assert "跳过" in out.getvalue()
    assert "unit_handler" in out.getvalue()


def test_it_refuses_to_seed_over_existing_regions(demo_city):
    with pytest.raises(CommandError, match="已有行政区划"):
        call_command("seed_demo", "--size", "small", stdout=StringIO())
