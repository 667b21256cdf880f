"""`demo_cases_seed` on a small city without cases: the same seed gives the same cases, and
the notifications the services send carry the time of their event."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction

from renda.cases.models import Case, CaseEvent
from renda.demo.cases_seed import demo_cases_seed
from renda.demo.services import demo_city_seed
from renda.notifications.models import Message

SEED = 11
NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _case_fingerprint() -> list[tuple]:
    return sorted(
        Case.objects.values_list(
            "code", "title", "content", "state", "channel", "region__code", "created_at"
        )
    ) + sorted(CaseEvent.objects.values_list("case__code", "action", "to_state", "created_at"))


def test_it_writes_the_same_cases_for_the_same_seed(db):
    demo_city_seed(size="small", seed=SEED, now=NOW, cases=0)

    def seed_and_fingerprint(seed: int) -> list[tuple]:
        with transaction.atomic():
            demo_cases_seed(seed=seed, count=40, now=NOW)
            fingerprint = _case_fingerprint()
            transaction.set_rollback(True)
        return fingerprint

    first = seed_and_fingerprint(SEED)
    assert first and not Case.objects.exists()
    assert seed_and_fingerprint(SEED) == first
    assert seed_and_fingerprint(SEED + 1) != first


def test_it_notifies_and_dates_messages_by_their_events(db, django_capture_on_commit_callbacks):
    demo_city_seed(size="small", seed=SEED, now=NOW, cases=0)
    with django_capture_on_commit_callbacks(execute=True):
        demo_cases_seed(seed=SEED, count=30, now=NOW)
    messages = Message.objects.select_related("event")
    assert messages.count() > 30
    assert all(m.created_at == m.event.created_at for m in messages)
    old = messages.filter(created_at__lt=NOW - dt.timedelta(days=14))
    assert old.exists() and not old.filter(read_at=None).exists()
    assert messages.filter(read_at=None).exists()
