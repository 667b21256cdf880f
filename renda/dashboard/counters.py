"""Keeping the dashboard's counters (`renda.dashboard.models`) in step with the cases.

Each case adds one to the counts of its place (month, region, congress, category) for every
measure it is in: 收到 in the month it was submitted, 办结 in the month it was closed (while it
is closed), and 逾期 in the month of its deadline once it was answered after it (待评价 or
已办结, answered on a day after the deadline: `measure_q(LATE)`'s `answered_late`, for the
cases no unit works on any more). Which months those are follows from the case row alone
(`tally_of`), in the local time zone as the dashboard's own filters (`TruncDate`, midnight).

`case_count` brings one case's part up to date: it reads the case, compares with what the case
added last time (`CaseTally`, locked) and moves the counts by the difference. It runs in the
worker after every committed case change (`case_changed`, connected in `apps.py`); it is
idempotent, so a task run twice counts nothing twice. It also rewrites the case's rows of the
handling rates (`RateAssignment`, `RateRating`: its lead assignments and ratings with its place
beside them), which the dashboard's rates by unit read. Changes made around the services (the
admin site, a bulk load) are not seen: `counts_rebuild` (manage.py rebuild_dashboard_counts)
recounts everything from the cases.
"""

import datetime as dt
import logging
from collections.abc import Callable

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Case as SqlCase
from django.db.models import DateField, F, When
from django.db.models.functions import Trunc, TruncDate
from django.utils import timezone

from renda.cases import rates
from renda.cases.models import Assignment, Case
from renda.dashboard.models import (
    COUNTY_DEPTH,
    CaseCount,
    CaseTally,
    CountyCount,
    PlaceCount,
    RateAssignment,
    RateRating,
)
from renda.org.models import Region

logger = logging.getLogger(__name__)

S = Case.State
MEASURES = ("received", "closed", "late")
_ANSWERED = (S.REPLIED, S.CLOSED)
_FIELDS = (
    "pk",
    "region_id",
    "congress_id",
    "category_id",
    "state",
    "created_at",
    "closed_at",
    "replied_at",
    "deadline",
    "urgency_id",
)

# (month, region, congress, category, measure)
Key = tuple[dt.date, int, int, int, str]


def _month(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment).replace(day=1)


def tally_of(row: dict) -> dict:
    """The `CaseTally` fields of a case given as a dict of `_FIELDS`."""
    state, deadline, replied_at = row["state"], row["deadline"], row["replied_at"]
    late = None
    if (
        state in _ANSWERED
        and deadline is not None
        and replied_at is not None
        and deadline < timezone.localdate(replied_at)
    ):
        late = deadline.replace(day=1)
    closed_at = row["closed_at"]
    return {
        "region_id": row["region_id"],
        "congress_id": row["congress_id"],
        "category_id": row["category_id"],
        "received": _month(row["created_at"]),
        "closed": _month(closed_at) if state == S.CLOSED and closed_at is not None else None,
        "late": late,
    }


def _keys(tally: dict) -> set[Key]:
    place = (tally["region_id"], tally["congress_id"], tally["category_id"])
    if None in place:
        return set()
    return {
        (tally[m], *place, m)  # type: ignore[misc]
        for m in MEASURES
        if tally[m] is not None
    }


def _move(key: Key, delta: int, model=CaseCount) -> None:
    """Move one count of `CaseCount` or `CountyCount`, or of `PlaceCount` (its key's category
    ignored)."""
    month, region_id, congress_id, category_id, measure = key
    place = {"month": month, "region_id": region_id, "congress_id": congress_id}
    if model is not PlaceCount:
        place["category_id"] = category_id
    moved = model.objects.filter(**place).update(**{measure: F(measure) + delta})
    if moved:
        return
    try:
        with transaction.atomic():
            model.objects.create(**place, **{measure: delta})
    except IntegrityError:  # made meanwhile by another case's change
        model.objects.filter(**place).update(**{measure: F(measure) + delta})


def _move_all(before: set[Key], after: set[Key]) -> None:
    """Move the counts from what a case added (`before`) to what it adds (`after`): those of
    `CaseCount`, of `PlaceCount` (the keys without their category, so that a case that only
    changes category moves nothing there) and of `CountyCount` (the keys' regions cut to
    their county: a case that moves between two villages of a county moves nothing there)."""
    county = county_of({key[1] for key in before | after})
    coarser = {
        CaseCount: lambda m, r, c, g, measure: (m, r, c, g, measure),
        PlaceCount: lambda m, r, c, g, measure: (m, r, c, None, measure),
        CountyCount: lambda m, r, c, g, measure: (m, county[r], c, g, measure),
    }
    for model, cut in coarser.items():
        was = {cut(*key) for key in before}
        now = {cut(*key) for key in after}
        for key in was - now:
            _move(key, -1, model)
        for key in now - was:
            _move(key, +1, model)


def county_of(region_ids: set[int]) -> dict[int, int]:
    """Each region's ancestor at `COUNTY_DEPTH`, or the region itself when it is no deeper
    (the region `CountyCount` counts its cases under)."""
    if not region_ids:
        return {}
    cut = COUNTY_DEPTH * Region.steplen
    paths = dict(Region.objects.filter(pk__in=region_ids).values_list("pk", "path"))
    above = {path[:cut] for path in paths.values() if len(path) > cut}
    ids = dict(Region.objects.filter(path__in=above).values_list("path", "pk")) if above else {}
    return {pk: ids[path[:cut]] if len(path) > cut else pk for pk, path in paths.items()}


def case_count(*, case_id: int) -> None:
    """Bring one case's part of the counts up to date (see the module's docstring)."""
    with transaction.atomic():
        row = Case.objects.filter(pk=case_id).values(*_FIELDS).first()
        if row is not None:
            CaseTally.objects.get_or_create(case_id=case_id)  # adding nothing yet
        old = CaseTally.objects.select_for_update().filter(case_id=case_id).values().first()
        if old is None:  # no such case, and none counted
            return
        new = tally_of(row) if row is not None else None
        _move_all(_keys(old), _keys(new) if new is not None else set())
        if new is None:
            CaseTally.objects.filter(case_id=case_id).delete()
        elif new != {k: old[k] for k in new}:
            CaseTally.objects.filter(case_id=case_id).update(**new)
        _rate_rows_write(case_id, row)


# The fields of `RateAssignment` and `RateRating` copied from the source rows.
_ASSIGNMENT_FIELDS = (
    "unit_id",
    "assigned_by_id",
    "deadline",
    "assigned_at",
    "signed_at",
    "replied_at",
    "returned_at",
)
_RATING_FIELDS = ("action", "created_at", "reply_unit", "reply_result")


def _rate_rows_write(case_id: int, row: dict | None) -> None:
    """Rewrite the case's rows of the rates (`RateAssignment`, `RateRating`) from its lead
    assignments and rating events: a handful of rows, replaced whole."""
    RateAssignment.objects.filter(case_id=case_id).delete()
    RateRating.objects.filter(case_id=case_id).delete()
    if row is None:
        return
    place = {"case_id": case_id, "region_id": row["region_id"], "congress_id": row["congress_id"]}
    assignments = Assignment.objects.filter(case_id=case_id, role=Assignment.Role.LEAD)
    RateAssignment.objects.bulk_create(
        RateAssignment(
            assignment_id=a.pop("pk"),
            urgency_id=row["urgency_id"],
            replied_on=timezone.localdate(a["replied_at"]) if a["replied_at"] else None,
            **place,
            **a,
        )
        for a in assignments.values("pk", *_ASSIGNMENT_FIELDS)
    )
    ratings = rates.rating_events().filter(case_id=case_id)
    RateRating.objects.bulk_create(
        RateRating(event_id=r.pop("pk"), **place, **r)
        for r in ratings.values("pk", *_RATING_FIELDS)
    )


def on_case_changed(sender, *, case_id: int, **kwargs) -> None:
    """`case_changed`: after every committed step of a case. A failure is logged and leaves
    the counts as they were (the next change of the case, or a rebuild, puts them right)."""
    try:
        case_count(case_id=case_id)
    except DatabaseError:
        logger.exception("dashboard: could not count case %s", case_id)


def on_case_deleting(sender, instance, **kwargs) -> None:
    """A deleted case (never done by Renda itself) takes its counts with it."""
    old = CaseTally.objects.filter(case_id=instance.pk).values().first()
    if old is None:
        return
    _move_all(_keys(old), set())
    CaseTally.objects.filter(case_id=instance.pk).delete()


def _tally_select() -> tuple[str, tuple]:
    """One SELECT over the cases giving each case's `CaseTally` fields, as `tally_of` reads
    them (local dates: `TruncDate` in the current time zone, as `timezone.localdate`)."""
    months = {"output_field": DateField()}
    closed = SqlCase(
        When(
            state=S.CLOSED,
            closed_at__isnull=False,
            then=Trunc(TruncDate("closed_at"), "month", **months),
        ),
        default=None,
        **months,
    )
    late = SqlCase(
        When(
            state__in=_ANSWERED,
            deadline__isnull=False,
            replied_at__isnull=False,
            deadline__lt=TruncDate("replied_at"),
            then=Trunc("deadline", "month", **months),
        ),
        default=None,
        **months,
    )
    qs = (
        Case.objects.order_by()
        .annotate(
            t_received=Trunc(TruncDate("created_at"), "month", **months),
            t_closed=closed,
            t_late=late,
        )
        .values("pk", "region_id", "congress_id", "category_id", "t_received", "t_closed", "t_late")
    )
    return qs.query.sql_with_params()


# `CountyCount` summed from `CaseCount`: each row's region cut to its ancestor at
# COUNTY_DEPTH (SUBSTR of its path; a shorter path is the region itself). Migration 0005 runs
# the same statement.
COUNTY_COUNTS_SQL = (
    "INSERT INTO dashboard_countycount (month, region_id, congress_id, category_id, received,"
    " closed, late) SELECT c.month, a.id, c.congress_id, c.category_id, SUM(c.received),"
    " SUM(c.closed), SUM(c.late) FROM dashboard_casecount c"
    " JOIN org_region r ON r.id = c.region_id"
    f" JOIN org_region a ON a.path = SUBSTR(r.path, 1, {COUNTY_DEPTH * Region.steplen})"
    " GROUP BY c.month, a.id, c.congress_id, c.category_id"
)


def counts_rebuild(*, progress: Callable[[int, int], None] | None = None) -> int:
    """Recount everything from the cases: every `CaseTally` and `CaseCount` row is replaced,
    and the rows of the rates (`RateAssignment`, `RateRating`), in SQL (an INSERT … SELECT
    each, the counts one GROUP BY over the tallies), so a million cases never pass through
    Python; `PlaceCount` and `CountyCount` summed from the new `CaseCount`. Returns the number
    of cases. One transaction, so readers see the old counts until the new ones are complete."""
    tally, count = CaseTally._meta.db_table, CaseCount._meta.db_table
    by_place = PlaceCount._meta.db_table
    select, params = _tally_select()
    place = "region_id, congress_id, category_id"
    counted = " AND ".join(f"{c} IS NOT NULL" for c in place.split(", "))
    parts = " UNION ALL ".join(
        f"SELECT {m} AS month, {place}, "
        + ", ".join(f"{int(m == other)} AS {other}" for other in MEASURES)
        + f" FROM {tally} WHERE {m} IS NOT NULL AND {counted}"
        for m in MEASURES
    )
    sums = ", ".join(f"SUM({m})" for m in MEASURES)
    with transaction.atomic(), connection.cursor() as cursor:
        CountyCount.objects.all().delete()
        PlaceCount.objects.all().delete()
        CaseCount.objects.all().delete()
        CaseTally.objects.all().delete()
        cursor.execute(
            f"INSERT INTO {tally} (case_id, {place}, received, closed, late) "
            f"SELECT s.pk, s.region_id, s.congress_id, s.category_id, "
            f"s.t_received, s.t_closed, s.t_late FROM ({select}) s",
            params,
        )
        done = cursor.rowcount
        cursor.execute(
            f"INSERT INTO {count} (month, {place}, {', '.join(MEASURES)}) "
            f"SELECT month, {place}, {sums} FROM ({parts}) t GROUP BY month, {place}"
        )
        cursor.execute(
            f"INSERT INTO {by_place} (month, region_id, congress_id, {', '.join(MEASURES)}) "
            f"SELECT month, region_id, congress_id, {sums} FROM {count} "
            f"GROUP BY month, region_id, congress_id"
        )
        cursor.execute(COUNTY_COUNTS_SQL)
        _insert_select(
            cursor,
            RateAssignment,
            Assignment.objects.filter(role=Assignment.Role.LEAD).annotate(
                replied_on=TruncDate("replied_at")
            ),
            {
                "assignment_id": "pk",
                "case_id": "case_id",
                "region_id": "case__region_id",
                "congress_id": "case__congress_id",
                "urgency_id": "case__urgency_id",
                "replied_on": "replied_on",
                **{name: name for name in _ASSIGNMENT_FIELDS},
            },
        )
        _insert_select(
            cursor,
            RateRating,
            rates.rating_events(),
            {
                "event_id": "pk",
                "case_id": "case_id",
                "region_id": "case__region_id",
                "congress_id": "case__congress_id",
                **{name: name for name in _RATING_FIELDS},
            },
        )
    if progress:
        progress(done, done)
    return done


def _insert_select(cursor, model, qs, columns: dict[str, str]) -> None:
    """INSERT INTO the model's table (its columns: the keys) the rows of `qs` (the values:
    fields or annotations of qs), in one statement."""
    model.objects.all().delete()
    aliases = {f"c{i}": F(source) for i, source in enumerate(columns.values())}
    select, params = qs.order_by().annotate(**aliases).values(*aliases).query.sql_with_params()
    cursor.execute(
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "
        f"SELECT {', '.join(f's.{a}' for a in aliases)} FROM ({select}) s",
        params,
    )


def on_migrated(sender, *, plan=None, using: str = "default", verbosity: int = 1, **kwargs):
    """After a `migrate` that applied any of the dashboard's migrations on a database that
    already holds cases: the counters and rate rows those migrations made start empty, and the
    dashboard would show zeros until someone ran `rebuild_dashboard_counts`; they are rebuilt
    here instead. A new database (no cases yet) and a flush (no plan) cost one query or none."""
    applied = plan or []
    if not any(m.app_label == "dashboard" and not backwards for m, backwards in applied):
        return
    if using != connection.alias or not Case.objects.exists():
        return
    done = counts_rebuild()
    if verbosity:
        print(f"  领导驾驶舱计数已按 {done:,} 件事项重建。")
