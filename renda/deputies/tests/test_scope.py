"""Which deputies each role sees."""

from renda.deputies.selectors import deputies_for_user


def names(qs):
    return {obj.name for obj in qs}


def test_it_gives_town_clerk_the_deputies_of_their_town(personas):
    assert names(deputies_for_user(personas.town_clerk)) == {"张代表"}


def test_it_hides_them_from_other_town_clerk(personas):
    assert names(deputies_for_user(personas.other_town_clerk)) == {"王西山"}


def test_it_gives_county_clerk_the_county_and_its_towns(personas):
    assert names(deputies_for_user(personas.county_clerk)) == {"张代表"}


def test_it_gives_city_clerk_and_admin_everyone(personas):
    for user in (personas.city_clerk, personas.admin):
        assert deputies_for_user(user).count() == 3


def test_it_gives_station_clerk_the_deputies_of_their_station(personas):
    assert names(deputies_for_user(personas.station_clerk)) == {"张代表"}


def test_it_gives_a_deputy_only_their_own_record(personas):
    assert names(deputies_for_user(personas.deputy)) == {"张代表"}
    assert not deputies_for_user(personas.citizen).exists()
    assert not deputies_for_user(personas.unit_handler).exists()
