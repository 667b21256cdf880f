"""A signed-in session stays alive while it is used and ends after eight idle hours, without
a session write on every page view."""

import datetime as dt

import time_machine
from django.contrib.sessions.models import Session

from renda.testing import PASSWORD

START = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def _expiry(client) -> dt.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def _login(client) -> None:
    response = client.post("/accounts/login/", {"username": "town_clerk", "password": PASSWORD})
    assert response.status_code == 302


def test_a_page_view_soon_after_the_last_write_does_not_write_the_session(client, personas):
    with time_machine.travel(START, tick=False) as clock:
        _login(client)
        client.get("/")  # the first view stamps and renews the session
        renewed = _expiry(client)
        clock.shift(dt.timedelta(minutes=2))
        client.get("/")
        assert _expiry(client) == renewed


def test_use_every_few_minutes_keeps_the_session_alive_past_eight_hours(client, personas):
    with time_machine.travel(START, tick=False) as clock:
        _login(client)
        for _ in range(20):  # ten hours of work, a page every half hour
            clock.shift(dt.timedelta(minutes=30))
            assert client.get("/").status_code == 200
        assert _expiry(client) > START + dt.timedelta(hours=10)


def test_eight_idle_hours_end_the_session(client, personas):
    with time_machine.travel(START, tick=False) as clock:
        _login(client)
        client.get("/")
        clock.shift(dt.timedelta(hours=8, minutes=1))
        response = client.get("/")
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_an_anonymous_visitor_gets_no_session_row(client, db):
    client.get("/p/")
    assert not Session.objects.exists()
