"""The data scope of every role over the organisation."""

from renda.org.selectors import grids_for_user, stations_for_user, units_for_user


def names(qs):
    return {obj.name for obj in qs}


def test_it_gives_town_clerk_their_town_only(personas):
    units = names(units_for_user(personas.town_clerk))
    assert units == {"东湖街道人大工委", "东湖街道办事处"}
    assert names(stations_for_user(personas.town_clerk)) == {
        "东湖街道代表联络站",
        "湖滨社区代表联络点",
    }
    assert names(grids_for_user(personas.town_clerk)) == {"湖滨第一网格"}


def test_it_hides_town_clerks_town_from_other_town_clerk(personas):
    other = personas.other_town_clerk
    assert not units_for_user(other).filter(region__path__startswith=personas.regions["town"].path)
    assert names(stations_for_user(other)) == {"西山镇代表联络站"}
    assert names(grids_for_user(other)) == {"西山第一网格"}


def test_it_gives_county_clerk_the_county_and_its_towns(personas):
    units = names(units_for_user(personas.county_clerk))
    assert {"东湖区人大常委会", "东湖街道人大工委", "东湖街道办事处"} <= units
    assert "西山镇人民政府" not in units
    assert "示例市人大常委会" not in units


def test_it_gives_city_clerk_and_admin_everything(personas):
    for user in (personas.city_clerk, personas.admin):
        assert units_for_user(user).count() == 10


def test_it_gives_station_clerk_their_station_subtree(personas):
    assert names(stations_for_user(personas.station_clerk)) == {
        "东湖街道代表联络站",
        "湖滨社区代表联络点",
    }


def test_it_gives_handler_their_own_unit(personas):
    assert names(units_for_user(personas.unit_handler)) == {"示例市住房和城乡建设局"}
    assert not stations_for_user(personas.unit_handler).exists()


def test_it_limits_a_unit_only_grant_to_the_unit_itself(personas):
    """No built-in role uses 仅本单位 yet; a deployment may declare one."""
    from renda.org.models import Grid, OrgUnit
    from renda.org.roles import DataScope, Perm, Role, RoleSpec
    from renda.org.scope import Grant, Scope

    spec = RoleSpec(Role.CONGRESS_CLERK, DataScope.UNIT_ONLY, frozenset({Perm.ORG_VIEW}), "unit")
    scope = Scope(user_id=0, grants=(Grant(spec, unit=personas.units["county"]),))
    units = scope.filter(OrgUnit.objects.all(), unit="", region="region")
    assert names(units) == {"东湖区人大常委会"}
    grids = scope.filter(Grid.objects.all(), region="region")
    assert not grids  # the county has no grid of its own; its towns' grids are below it


def test_it_reaches_nothing_for_an_anonymous_user(personas):
    from django.contrib.auth.models import AnonymousUser

    from renda.org.scope import scope_for

    scope = scope_for(AnonymousUser())
    assert not scope.perms
    assert not units_for_user_safe(scope)


def units_for_user_safe(scope):
    from renda.org.models import OrgUnit

    return scope.filter(OrgUnit.objects.all(), unit="", region="region")
