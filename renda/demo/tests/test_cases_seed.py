"""`demo_cases_seed`: a year of opinion cases made through the case services.

The small city with its cases is seeded once for the module (it takes a while: every case
goes through the services) inside a transaction that is rolled back at the end.
"""

import datetime as dt
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from renda.accounts.models import User
from renda.cases.models import Assignment, Case, CaseEvent
from renda.cases.selectors import cases_for_user, overdue
from renda.cases.workflow import TRANSITIONS, Action
from renda.demo.services import demo_city_seed
from renda.org.models import Region

SEED = 11
NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
S = Case.State


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        # The opinion cases alone: test_suggestions_seed.py covers the suggestions.
        summary = demo_city_seed(size="small", seed=SEED, now=NOW, suggestions=0)
        yield summary
        transaction.set_rollback(True)


@pytest.fixture
def city(seeded, db):
    return seeded


def test_it_makes_about_two_hundred_cases_in_every_state(city):
    states = Counter(Case.objects.values_list("state", flat=True))
    assert 200 <= sum(states.values()) <= 230
    assert city.cases == sum(states.values())
    # Older cases are closed; the last weeks are still moving.
    assert states[S.CLOSED] > sum(states.values()) / 2
    for state in (S.SUBMITTED, S.HANDLING, S.REPLIED, S.REJECTED, S.MERGED):
        assert states[state] > 0, state
    assert overdue(Case.objects.all(), today=NOW.date()).exists()
    rated = Counter(Case.objects.exclude(rating=None).values_list("rating", flat=True))
    assert rated[Case.Rating.SATISFIED] > rated[Case.Rating.BASICALLY_SATISFIED] > 0
    assert CaseEvent.objects.filter(action=Action.REOPEN).exists()
    # 不满意 reopened some: they have a second round.
    assert Assignment.objects.filter(round=2).exists()
    assert Case.objects.filter(unsatisfied_count__gte=1, state=S.CLOSED).exists()


def test_it_spreads_cases_over_the_past_year(city):
    created = list(Case.objects.values_list("created_at", flat=True))
    assert max(created) <= NOW
    assert min(created) >= NOW - dt.timedelta(days=366)
    months = {(c.year, c.month) for c in created}
    assert len(months) >= 11
    # Codes carry the year the case came in.
    for code, at in Case.objects.values_list("code", "created_at"):
        assert code.startswith(f"MQ{at.astimezone(NOW.tzinfo).year}-")


def test_every_timeline_follows_the_workflow(city):
    events = defaultdict(list)
    for event in CaseEvent.objects.order_by("created_at", "pk"):
        events[event.case_id].append(event)
    for case in Case.objects.all():
        timeline = events[case.pk]
        assert timeline[0].action == Action.SUBMIT and timeline[0].from_state == ""
        assert timeline[0].created_at == case.created_at
        state = ""
        for event in timeline:
            t = TRANSITIONS[Action(event.action)]
            assert event.from_state == state, (case.code, event.action)
            if event.action != Action.SUBMIT:
                assert state in t.from_states, (case.code, event.action, state)
            expected = t.to_state or state
            assert event.to_state == expected, (case.code, event.action)
            assert event.created_at <= NOW
            state = event.to_state
        assert state == case.state, case.code
        times = [e.created_at for e in timeline]
        assert times == sorted(times)


def test_it_routes_most_cases_of_a_category_and_town_to_one_unit(city):
    """What a triage model learns: (category, town) → the unit that answered."""
    groups: dict[tuple, Counter] = defaultdict(Counter)
    towns = {r.pk: r for r in Region.objects.filter(level="town")}
    replied = Assignment.objects.filter(role="lead", state="replied", round=1).select_related(
        "case__region"
    )
    for a in replied:
        town = next(t for t in towns.values() if a.case.region.path.startswith(t.path))
        groups[(a.case.category_id, town.pk)][a.unit_id] += 1
    total = sum(sum(c.values()) for c in groups.values())
    usual = sum(c.most_common(1)[0][1] for c in groups.values())
    assert total > 100
    assert 0.65 <= usual / total < 1
    units = {a.unit.handling_kind for a in replied.select_related("unit")}
    assert {"department", "town_government"} <= units
    # Some went up to the county or the city, some came back down.
    actions = set(CaseEvent.objects.values_list("action", flat=True))
    assert {"escalate", "send_down", "return", "merge", "reject", "remind"} <= actions


def test_it_has_hot_issues_and_reposts(city):
    merged = Counter(Case.objects.filter(state=S.MERGED).values_list("merged_into", flat=True))
    assert merged.most_common(1)[0][1] >= 2
    texts = Counter(Case.objects.values_list("title", "content"))
    assert texts.most_common(1)[0][1] >= 2  # an exact re-post
    target = Case.objects.get(pk=merged.most_common(1)[0][0])
    follower = Case.objects.filter(merged_into=target).first()
    assert follower.region_id == target.region_id
    assert follower.category_id == target.category_id


def test_it_mixes_channels_and_contacts(city):
    channels = Counter(Case.objects.values_list("channel", flat=True))
    for channel in ("portal", "deputy", "reception_day", "hotline"):
        assert channels[channel] >= 10, channel
    assert Case.objects.filter(collected_by__isnull=False).count() >= 30
    assert Case.objects.filter(submitter__isnull=False).exists()
    assert Case.objects.filter(is_public=True, state__in=[S.REPLIED, S.CLOSED]).exists()
    # A deputy-collected case keeps the voter's details only when the voter left them.
    assert Case.objects.filter(collected_by__isnull=False, submitter_phone="").exists()


def test_it_gives_the_personas_cases_waiting_for_their_rating(city, client):
    citizen = User.objects.get(username="citizen")
    mine = Case.objects.filter(submitter=citizen)
    assert mine.count() >= 3
    assert mine.filter(state=S.REPLIED).exists()
    collected = Case.objects.filter(collected_by__user__username="deputy")
    assert collected.filter(state=S.REPLIED).exists()
    client.force_login(citizen)
    page = client.get("/p/mine/").content.decode()
    for case in mine[:5]:
        assert case.code in page


def test_a_town_clerk_sees_only_their_towns_cases(city, client):
    clerk = User.objects.get(username="town_clerk")
    town = clerk.memberships.get().unit.region
    visible = cases_for_user(clerk)
    assert visible.exists()
    assert all(c.region.path.startswith(town.path) for c in visible)
    in_town = Case.objects.filter(region__path__startswith=town.path)
    assert visible.count() == in_town.count()
    # The inbox has something in every tab that matters to a demo, 已超期 included.
    assert overdue(visible, today=NOW.date()).exists()
    assert visible.filter(state=S.SUBMITTED).exists() or visible.filter(state=S.ACCEPTED).exists()
    client.force_login(clerk)
    page = client.get("/cases/").content.decode()
    assert visible.order_by("-created_at").first().code in page
    other = Case.objects.exclude(region__path__startswith=town.path).first()
    assert other.code not in page
    assert client.get(f"/cases/{other.code}/").status_code == 404


def test_the_unit_handler_has_cases_of_their_unit(city):
    handler = User.objects.get(username="unit_handler")
    unit = handler.memberships.get().unit
    assert cases_for_user(handler).exists()
    assert all(c.assignments.filter(unit=unit).exists() for c in cases_for_user(handler))
