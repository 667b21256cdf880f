"""`demo_suggestions_seed`: a year of deputies' suggestions made through the suggestion services.

The small city (a few cases, its twenty suggestions) is seeded once for the module inside a
transaction that is rolled back at the end.
"""

import datetime as dt
from collections import Counter

import pytest
from django.db import transaction

from renda.accounts.models import User
from renda.cases.models import Case
from renda.demo.cases_seed import TZ
from renda.demo.services import demo_city_seed
from renda.suggestions.models import CongressSession, CoSigner, Promise, Rating, Suggestion

# Late September: the session of January is long closed, its suggestions mostly answered.
NOW = dt.datetime(2026, 9, 30, 16, 0, tzinfo=TZ)
S = Case.State


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo_city_seed(size="small", seed=5, now=NOW, cases=30, suggestions=40)
        transaction.set_rollback(True)


@pytest.fixture
def city(seeded, db):
    return seeded


def test_it_files_suggestions_in_every_state(city):
    rows = Suggestion.objects.select_related("case")
    assert rows.count() == 40
    states = Counter(s.case.state for s in rows if s.case.kind == Case.Kind.SUGGESTION)
    assert states[S.CLOSED] > 10
    assert states[S.REPLIED] + states[S.HANDLING] + states[S.ASSIGNED] + states[S.ACCEPTED] > 0
    assert city.suggestions == rows.filter(case__kind=Case.Kind.SUGGESTION).count()
    reviews = Counter(rows.values_list("review", flat=True))
    assert reviews[Suggestion.Review.ACCEPTED] > 30
    # Co-signers confirmed before the review.
    assert CoSigner.objects.filter(state=CoSigner.State.CONFIRMED).exists()
    assert not CoSigner.objects.filter(
        state=CoSigner.State.PENDING, suggestion__review=Suggestion.Review.ACCEPTED
    ).exists()
    created = [s.case.created_at for s in rows]
    assert max(created) <= NOW and min(created) >= NOW - dt.timedelta(days=366)


def test_it_numbers_per_session_without_gaps(city):
    session = CongressSession.objects.get()
    assert session.status == CongressSession.Status.CLOSED
    assert session.opens_on < NOW.date() - dt.timedelta(days=100)
    numbers = sorted(session.suggestions.values_list("number", flat=True))
    assert len(numbers) > 10 and numbers == list(range(1, len(numbers) + 1))
    between = Counter(Suggestion.objects.filter(session=None).values_list("congress", "year"))
    for (congress, year), n in between.items():
        got = Suggestion.objects.filter(session=None, congress=congress, year=year)
        assert sorted(got.values_list("number", flat=True)) == list(range(1, n + 1))


def test_every_answered_suggestion_has_a_class(city):
    answered = Suggestion.objects.filter(
        case__kind=Case.Kind.SUGGESTION, case__state__in=[S.REPLIED, S.CLOSED]
    ).select_related("case")
    assert answered.count() > 10
    classes = Counter(s.answer_class for s in answered)
    assert "" not in classes and classes["A"] > classes["C"]
    assert Rating.objects.filter(answer__in=["satisfied", "basically_satisfied"]).exists()
    assert Promise.objects.exists()
    assert Suggestion.objects.filter(is_complex=True).exists()  # 延期 by the congress


def test_the_deputy_account_leads_county_suggestions(city):
    mine = Suggestion.objects.filter(lead_deputy__user__username="deputy")
    assert mine.exists()
    assert all(s.congress.region.level == "county" for s in mine)


def test_the_city_clerk_sees_non_zero_rates(city, client):
    client.force_login(User.objects.get(username="city_clerk"))
    response = client.get("/suggestions/rates/")
    assert response.status_code == 200
    total = response.context["table"].total.counts
    # The city's scope holds the county's suggestions too.
    assert 0 < total["assigned"] <= Suggestion.objects.count()
    for key in ("answered", "due", "on_time", "class_a", "class_b", "rated", "satisfied"):
        assert total[key] > 0, key
    assert 'data-testid="rates-row-total"' in response.content.decode()
    # A town clerk's scope holds none of the city's suggestions.
    client.force_login(User.objects.get(username="town_clerk"))
    response = client.get("/suggestions/rates/")
    assert response.status_code == 200
    assert response.context["table"].total.counts["assigned"] == 0
