"""Writes of the points ledger: syncing records, changing rules, recomputing, nominations.

`points_sync` makes the ledger agree with some records: each record, deputy and kind of source
has at most one active entry, from the most specific rule valid on the record's date. An entry
that no longer agrees is superseded by a new one (or withdrawn when nothing applies any more);
nothing is deleted, so every number can be traced to the rule and record behind it.
"""

import datetime as dt
import logging
from collections import defaultdict
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, transaction
from django.db.models import OuterRef, Q, Subquery, Sum
from django.utils import timezone

from renda.deputies.models import Deputy
from renda.duty.models import (
    Nomination,
    PointEntry,
    PointRule,
    PointRuleChange,
    PointTally,
    PointYearTally,
    format_points,
)
from renda.duty.sources import SOURCES, Fact, Source, chunks, sources_for_model
from renda.org.models import OrgUnit
from renda.org.roles import Perm
from renda.org.scope import require

logger = logging.getLogger("renda.duty")
E = PointEntry.Status

# What a rule's form may change; `source` is fixed once a rule exists.
RULE_FIELDS = (
    "name",
    "source",
    "activity_kind_id",
    "attendance_status",
    "case_kind",
    "points",
    "valid_from",
    "valid_to",
    "basis",
)


# ---------------------------------------------------------------------------------------------
# Matching


def _specificity(rule: PointRule) -> int:
    return int(bool(getattr(rule, "activity_kind_id", None))) + int(bool(rule.case_kind))


def rule_matches(rule: PointRule, fact: Fact) -> bool:
    if rule.valid_from > fact.date or (rule.valid_to is not None and rule.valid_to < fact.date):
        return False
    if rule.attendance_status and rule.attendance_status != fact.attendance_status:
        return False
    kind_id = getattr(rule, "activity_kind_id", None)
    if kind_id and kind_id != fact.activity_kind_id:
        return False
    return not (rule.case_kind and rule.case_kind != fact.case_kind)


def best_rule(rules: list[PointRule], fact: Fact) -> PointRule | None:
    """The most specific rule that applies (a rule for 接待日 beats one for any activity)."""
    found = [r for r in rules if rule_matches(r, fact)]
    if not found:
        return None
    return max(found, key=lambda r: (_specificity(r), -r.pk))


def reason_for(rule: PointRule, date: dt.date) -> str:
    """`+2 分 参加接待日 2026-10-15`."""
    return f"{format_points(rule.points)} 分 {rule.name} {date.isoformat()}"


# ---------------------------------------------------------------------------------------------
# Sync


@dataclass
class SyncResult:
    created: int = 0
    ended: int = 0
    # (deputy_id, year) → change of that deputy's total for the year
    deltas: dict[tuple[int, int], Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    # (deputy_id, first day of month) whose tally must be brought up to date
    months: set[tuple[int, dt.date]] = field(default_factory=set)

    def add(self, other: "SyncResult") -> None:
        self.created += other.created
        self.ended += other.ended
        self.months |= other.months
        for key, value in other.deltas.items():
            self.deltas[key] += value


def _rules_by_source(sources: list[Source]) -> dict[str, list[PointRule]]:
    rules: dict[str, list[PointRule]] = defaultdict(list)
    for rule in PointRule.objects.filter(source__in=[s.source for s in sources]):
        rules[rule.source].append(rule)
    return rules


def _sync_chunk(
    sources: list[Source], ids: list[int], rules: dict[str, list[PointRule]], note: str
) -> SyncResult:
    """Make the active entries of these records agree with the rules; rows are compared as
    tuples and only the entries that change become model objects (a recompute of an
    unchanged ledger writes nothing)."""
    result = SyncResult()
    model = sources[0].model()
    content_type = ContentType.objects.get_for_model(model)
    # (object id, deputy id, source) → (rule, date, reason, label)
    wanted: dict[tuple[int, int, str], tuple[PointRule, dt.date, str, str]] = {}
    for source in sources:
        for object_id, facts in source.facts(ids).items():
            for fact in facts:
                rule = best_rule(rules.get(source.source, []), fact)
                if rule is not None:
                    wanted[(object_id, fact.deputy_id, source.source)] = (
                        rule,
                        fact.date,
                        reason_for(rule, fact.date),
                        fact.label[:200],
                    )
    existing = PointEntry.objects.filter(
        content_type=content_type,
        object_id__in=ids,
        status=E.ACTIVE,
        source__in=[s.source for s in sources],
    ).values_list(
        "pk",
        "object_id",
        "deputy_id",
        "source",
        "rule_id",
        "points",
        "date",
        "reason",
        "record_label",
    )
    ended: list[int] = []
    replaced: list[int] = []
    for pk, object_id, deputy_id, source, rule_id, points, date, reason, label in existing:
        key = (object_id, deputy_id, source)
        new = wanted.get(key)
        if new is not None and (new[0].pk, new[0].points, new[1], new[2], new[3]) == (
            rule_id,
            points,
            date,
            reason,
            label,
        ):
            del wanted[key]
            continue
        ended.append(pk)
        result.deltas[(deputy_id, date.year)] -= points
        result.months.add((deputy_id, date.replace(day=1)))
        if new is not None:
            replaced.append(pk)
    fresh = [
        PointEntry(
            deputy_id=deputy_id,
            rule=rule,
            source=source,
            content_type=content_type,
            object_id=object_id,
            date=date,
            points=rule.points,
            reason=reason,
            record_label=label,
        )
        for (object_id, deputy_id, source), (rule, date, reason, label) in wanted.items()
    ]
    now = timezone.now()
    if ended:
        # Withdrawn first, so the new active entries do not meet the one-active constraint.
        PointEntry.objects.filter(pk__in=ended).update(
            status=E.WITHDRAWN, ended_at=now, ended_note=note[:200]
        )
    if fresh:
        PointEntry.objects.bulk_create(fresh, batch_size=1000)
        for new in fresh:
            result.deltas[(new.deputy_id, new.date.year)] += new.points
            result.months.add((new.deputy_id, new.date.replace(day=1)))
    if replaced:
        # Those that have a successor point at it: one UPDATE finds each one's new active
        # entry for the same record, deputy and source.
        successor = PointEntry.objects.filter(
            content_type_id=OuterRef("content_type_id"),
            object_id=OuterRef("object_id"),
            deputy_id=OuterRef("deputy_id"),
            source=OuterRef("source"),
            status=E.ACTIVE,
        ).values("pk")[:1]
        PointEntry.objects.filter(pk__in=replaced).update(
            status=E.SUPERSEDED, replaced_by=Subquery(successor)
        )
    result.created = len(fresh)
    result.ended = len(ended)
    return result


def points_sync(*, model_label: str, ids, note: str = "来源记录变化") -> SyncResult:
    """Make the ledger agree with these records of one model ("cases.Case")."""
    sources = [s for s in sources_for_model(model_label) if s.model() is not None]
    result = SyncResult()
    if not sources:
        return result
    rules = _rules_by_source(sources)
    with transaction.atomic():
        for batch in chunks(ids):
            result.add(_sync_chunk(sources, batch, rules, note))
        tally_refresh(result.months)
    return result


def _month_end(month: dt.date) -> dt.date:
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def _month_sql(column: str) -> str:
    """The first day of the month of a date column, as the database writes a date."""
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', CAST({column} AS timestamp)) AS date)"
    return f"substr({column}, 1, 7) || '-01'"  # SQLite keeps dates as YYYY-MM-DD text


def _year_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {column}) AS integer)"
    return f"CAST(substr({column}, 1, 4) AS integer)"


def _as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


# Past this many deputies a tally refresh recounts every deputy of the months concerned (one
# scan of the period) instead of naming them all in the query.
TALLY_NAMED_DEPUTIES = 500


@transaction.atomic
def tally_refresh(months: set[tuple[int, dt.date]] | None = None) -> int:
    """Recount the monthly tallies of these (deputy, month) pairs from the ledger — or every
    tally when `months` is None. Counting from the ledger, not adding deltas, means a tally
    can never drift from the entries behind it. A few statements whatever the size: one
    GROUP BY of the active entries into a temporary table, upserted over the tallies where
    they differ, and the tallies concerned that no longer have entries set to zero.
    Returns the number of tallies written from the count."""
    tally, entry = PointTally._meta.db_table, PointEntry._meta.db_table
    where, params = [f"e.status = '{E.ACTIVE.value}'"], []
    zero, zero_params = ["(t.entries <> 0 OR t.points <> 0)"], []
    if months is not None:
        if not months:
            return 0
        first = min(m for _, m in months)
        last = max(m for _, m in months)
        where.append("e.date BETWEEN %s AND %s")
        params += [first, _month_end(last)]
        zero.append("t.month BETWEEN %s AND %s")
        zero_params += [first, last]
        deputies = sorted({d for d, _ in months})
        if len(deputies) <= TALLY_NAMED_DEPUTIES:
            marks = ", ".join(["%s"] * len(deputies))
            where.append(f"e.deputy_id IN ({marks})")
            params += deputies
            zero.append(f"t.deputy_id IN ({marks})")
            zero_params += deputies
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS duty_tally_count")
        cursor.execute(
            "CREATE TEMPORARY TABLE duty_tally_count (deputy_id bigint, month date, "
            "points decimal(8, 1), entries integer, PRIMARY KEY (deputy_id, month))"
        )
        cursor.execute(
            "INSERT INTO duty_tally_count (deputy_id, month, points, entries) "
            f"SELECT e.deputy_id, {_month_sql('e.date')} AS m, SUM(e.points), COUNT(*) "
            f'FROM "{entry}" e WHERE {" AND ".join(where)} GROUP BY e.deputy_id, m',
            params,
        )
        # WHERE true before ON CONFLICT: SQLite's upsert needs a WHERE to parse.
        cursor.execute(
            f'INSERT INTO "{tally}" (deputy_id, month, points, entries) '
            "SELECT deputy_id, month, points, entries FROM duty_tally_count WHERE true "
            "ON CONFLICT (deputy_id, month) DO UPDATE "
            "SET points = excluded.points, entries = excluded.entries "
            f'WHERE "{tally}".points <> excluded.points OR "{tally}".entries <> excluded.entries'
        )
        written = cursor.rowcount
        cursor.execute(
            f'UPDATE "{tally}" SET points = 0, entries = 0 WHERE id IN (SELECT t.id FROM '
            f'"{tally}" t WHERE {" AND ".join(zero)} AND NOT EXISTS (SELECT 1 FROM '
            "duty_tally_count c WHERE c.deputy_id = t.deputy_id AND c.month = t.month))",
            zero_params,
        )
        cursor.execute("DROP TABLE duty_tally_count")
        if months is None:
            _year_tallies_refresh(cursor, None, None)
        else:
            named = deputies if len(deputies) <= TALLY_NAMED_DEPUTIES else None
            _year_tallies_refresh(cursor, (first.year, last.year), named)
    return written


def _year_tallies_refresh(
    cursor, years: tuple[int, int] | None, deputies: list[int] | None
) -> None:
    """The yearly tallies of these years and deputies (all of them for None), summed from their
    monthly tallies and written where they differ: a few thousand rows per year, whatever the
    size of the ledger behind them."""
    tally, year_tally = PointTally._meta.db_table, PointYearTally._meta.db_table
    where, params = ["true"], []
    if years is not None:
        where.append("t.month BETWEEN %s AND %s")
        params += [dt.date(years[0], 1, 1), dt.date(years[1], 12, 1)]
    if deputies is not None:
        if not deputies:
            return
        where.append(f"t.deputy_id IN ({', '.join(['%s'] * len(deputies))})")
        params += deputies
    cursor.execute(
        f'INSERT INTO "{year_tally}" (deputy_id, year, points, entries) '
        f"SELECT t.deputy_id, {_year_sql('t.month')} AS y, ROUND(SUM(t.points), 1), "
        f'SUM(t.entries) FROM "{tally}" t WHERE {" AND ".join(where)} GROUP BY t.deputy_id, y '
        "ON CONFLICT (deputy_id, year) DO UPDATE "
        "SET points = excluded.points, entries = excluded.entries "
        f'WHERE "{year_tally}".points <> excluded.points '
        f'OR "{year_tally}".entries <> excluded.entries',
        params,
    )


def records_touched(sender_label: str, pk: int) -> dict[str, list[int]]:
    """The records whose points a save of `sender_label` #`pk` may change, by model."""
    if sender_label == "cases.CaseEvent":
        from renda.cases.models import CaseEvent

        return {
            "cases.Case": list(CaseEvent.objects.filter(pk=pk).values_list("case_id", flat=True))
        }
    if not sender_label.startswith("activities."):
        return {}
    Attendance = apps.get_model("activities", "Attendance")
    DutyDayDeputy = apps.get_model("activities", "DutyDayDeputy")
    if sender_label == "activities.Attendance":
        row = Attendance.objects.filter(pk=pk).values("activity_id", "deputy_id").first()
        if row is None:
            return {}
        rota = DutyDayDeputy.objects.filter(
            duty_day__activity_id=row["activity_id"], deputy_id=row["deputy_id"]
        )
        return {
            "activities.Attendance": [pk],
            "activities.DutyDayDeputy": list(rota.values_list("pk", flat=True)),
        }
    if sender_label == "activities.Activity":
        attendance = Attendance.objects.filter(activity_id=pk)
        rota = DutyDayDeputy.objects.filter(duty_day__activity_id=pk)
    elif sender_label == "activities.DutyDay":
        attendance = Attendance.objects.filter(activity__duty_day__pk=pk)
        rota = DutyDayDeputy.objects.filter(duty_day_id=pk)
    elif sender_label == "activities.DutyDayDeputy":
        attendance = Attendance.objects.none()
        rota = DutyDayDeputy.objects.filter(pk=pk)
    else:
        return {}
    return {
        "activities.Attendance": list(attendance.values_list("pk", flat=True)),
        "activities.DutyDayDeputy": list(rota.values_list("pk", flat=True)),
    }


def points_sync_after_commit(sender_label: str, pk: int) -> None:
    """Run by the signal handlers once the saving transaction commits. A failure is logged,
    not raised: the record was saved, and `recompute_points` repairs the ledger later."""
    try:
        for model_label, ids in records_touched(sender_label, pk).items():
            if ids:
                points_sync(model_label=model_label, ids=ids)
    except Exception:
        logger.exception("points sync failed after saving %s %s", sender_label, pk)


def _groups(sources) -> dict[str, list[Source]]:
    """The sources whose models exist, by the model they read."""
    by_model: dict[str, list[Source]] = defaultdict(list)
    for source in sources:
        if source.model() is not None:
            by_model[source.model_label].append(source)
    return by_model


def _sync_sources_between(
    sources: list[Source],
    start: dt.date | None,
    end: dt.date | None,
    note: str,
    *,
    with_stale: bool = False,
) -> SyncResult:
    """Sync every record of these sources dated in [start, end]; `with_stale` also revisits
    the records behind active entries of that period that the window no longer finds."""
    result = SyncResult()
    for model_label, group in _groups(sources).items():
        ids: set[int] = set()
        for source in group:
            ids.update(source.ids_between(start, end))
        if with_stale:
            app_label, model_name = model_label.split(".")
            stale = PointEntry.objects.filter(
                status=E.ACTIVE,
                content_type__app_label=app_label,
                content_type__model=model_name.lower(),
                source__in=[s.source for s in group],
            )
            if start:
                stale = stale.filter(date__gte=start)
            if end:
                stale = stale.filter(date__lte=end)
            ids.update(stale.values_list("object_id", flat=True))
        rules = _rules_by_source(group)
        for batch in chunks(sorted(ids)):
            result.add(_sync_chunk(group, batch, rules, note))
    return result


def points_recompute(*, year: int | None = None) -> SyncResult:
    """Bring the whole ledger (or one year of it) in line with the rules and the records."""
    start = dt.date(year, 1, 1) if year else None
    end = dt.date(year, 12, 31) if year else None
    with transaction.atomic():
        result = _sync_sources_between(
            list(SOURCES.values()), start, end, "重新计算积分", with_stale=True
        )
        tally_refresh(None)
    return result


# ---------------------------------------------------------------------------------------------
# Rules


class NegativeTotals(ValidationError):
    """Saving the rule would leave some deputies with a negative total for a year."""

    def __init__(self, rows: list[tuple[Deputy, int, Decimal, Decimal]]) -> None:
        self.rows = rows  # (deputy, year, total before, total after)
        shown = "；".join(
            f"{d.name} {year} 年：{format_points(before)} → {format_points(after)} 分"
            for d, year, before, after in rows[:5]
        )
        more = f" 等 {len(rows)} 名代表" if len(rows) > 5 else ""
        super().__init__(
            f"此修改将使代表的年度积分变为负数（{shown}{more}）。"
            "如确认无误，请勾选“确认负分仍然保存”后再次提交。"
        )


@dataclass
class RuleChangeResult:
    rule: PointRule
    sync: SyncResult
    negatives: list[tuple[Deputy, int, Decimal, Decimal]]
    change: PointRuleChange | None = None

    @property
    def affected_deputies(self) -> int:
        return len({d for (d, _), v in self.sync.deltas.items() if v})


def _snapshot(rule: PointRule) -> dict:
    return {
        name: (str(getattr(rule, name)) if getattr(rule, name) is not None else None)
        for name in RULE_FIELDS
        if hasattr(rule, name)
    }


def _check_overlap(rule: PointRule) -> None:
    same = PointRule.objects.filter(
        source=rule.source,
        attendance_status=rule.attendance_status,
        case_kind=rule.case_kind,
    ).exclude(pk=rule.pk)
    if hasattr(rule, "activity_kind_id"):
        same = same.filter(activity_kind_id=rule.activity_kind_id)
    if rule.valid_to is not None:
        same = same.filter(valid_from__lte=rule.valid_to)
    same = same.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=rule.valid_from))
    other = same.first()
    if other is not None:
        raise ValidationError(
            {
                "valid_from": f"与规则“{other.name}”（{other.period_display()}）的条件相同且有效期"
                "重叠：同一条件在同一时间只能有一条规则。请先为原规则设置失效日期。"
            }
        )


def _negatives(deltas: dict[tuple[int, int], Decimal]) -> list:
    """Deputy-years whose total this change lowers below zero."""
    lowered = {key: delta for key, delta in deltas.items() if delta < 0}
    if not lowered:
        return []
    deputy_ids = {d for d, _ in lowered}
    totals: dict[tuple[int, int], Decimal] = {}
    for year in sorted({y for _, y in lowered}):
        # The year's tallies (brought up to date before this is called), not the entries
        # behind them.
        tallies = PointYearTally.objects.filter(year=year)
        if len(deputy_ids) <= TALLY_NAMED_DEPUTIES:
            tallies = tallies.filter(deputy_id__in=deputy_ids)
        for deputy_id, points in tallies.values_list("deputy_id", "points"):
            totals[(deputy_id, year)] = points
    rows = []
    names = Deputy.objects.in_bulk(deputy_ids)
    for (deputy_id, year), delta in sorted(lowered.items()):
        after = totals.get((deputy_id, year), Decimal(0))
        if after < 0:
            rows.append((names[deputy_id], year, after - delta, after))
    return rows


def _affected_window(before: PointRule | None, after: PointRule) -> tuple[dt.date, dt.date | None]:
    """The days whose records the change may touch: the old period and the new one."""
    rules = [r for r in (before, after) if r is not None]
    start = min(r.valid_from for r in rules)
    ends = [r.valid_to for r in rules]
    return start, None if any(e is None for e in ends) else max(ends)


# What decides which records a rule applies to and which rule wins; a change that leaves these
# alone (points, name, basis) keeps every entry on the same rule and record.
MATCHING_FIELDS = (
    "source",
    "attendance_status",
    "activity_kind_id",
    "case_kind",
    "valid_from",
    "valid_to",
)


def _same_matching(before: PointRule | None, after: PointRule) -> bool:
    return before is not None and all(
        getattr(before, name, None) == getattr(after, name, None) for name in MATCHING_FIELDS
    )


# SQLite's page cache while a rule change rewrites the ledger (1 GiB instead of 2 MiB, taken
# only as pages are read): the ledger's table and indexes then stay in memory through the
# rewrite instead of being read back page by page for every row.
SQLITE_REWRITE_CACHE_KIB = 1048576


@contextmanager
def _sqlite_cache(cursor):
    """A large page cache, and the temporary tables (and sorts) of the rewrite in memory rather
    than in files: the temp_store setting cannot be changed back within the transaction, and
    ends with the connection."""
    if connection.vendor != "sqlite":
        yield
        return
    cursor.execute("PRAGMA cache_size")
    before = cursor.fetchone()[0]
    cursor.execute(f"PRAGMA cache_size = -{SQLITE_REWRITE_CACHE_KIB}")
    with suppress(OperationalError):  # this transaction already holds temporary tables
        cursor.execute("PRAGMA temp_store = MEMORY")
    try:
        yield
    finally:
        cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _rule_reprice(rule: PointRule, note: str) -> SyncResult:
    """A rule's new points or name, when what it applies to is unchanged: every active entry of
    the rule that no longer reads as the rule says takes the new points and reason in place,
    and a superseded copy keeps what it said before (pointing at it) — in a few set-based
    statements, not row by row. The entry keeps its id; the copy is a new row in none of the
    active entries' indexes, and the rewrite changes no indexed column (PostgreSQL keeps the
    new row version on its page; SQLite rewrites the row alone). Each statement reads the
    entries concerned straight from pointentry_rule_active: first their change of points per
    deputy and month (what the tallies need), then the copies, then the rewrite — no table of
    their ids to write and join back."""
    result = SyncResult()
    table = PointEntry._meta.db_table
    pg = connection.vendor == "postgresql"
    prefix = f"{format_points(rule.points)} 分 {rule.name} "
    now = timezone.now()

    def concerned(alias: str) -> tuple[str, list]:
        """The rule's active entries that do not yet read as the rule says."""
        day = f"to_char({alias}.date, 'YYYY-MM-DD')" if pg else f"{alias}.date"
        return (
            f"{alias}.rule_id = %s AND {alias}.status = '{E.ACTIVE.value}' "
            f"AND ({alias}.points <> %s OR {alias}.reason <> %s || {day})",
            [rule.pk, rule.points, prefix],
        )

    with connection.cursor() as cursor, _sqlite_cache(cursor):
        if pg:
            # No sync may supersede or withdraw one of these entries meanwhile.
            cursor.execute(f'LOCK TABLE "{table}" IN SHARE ROW EXCLUSIVE MODE')
        cursor.execute("DROP TABLE IF EXISTS duty_reprice_delta")
        cursor.execute(
            "CREATE TEMPORARY TABLE duty_reprice_delta (deputy_id bigint, month date, "
            "year integer, delta decimal(10, 1), n integer, PRIMARY KEY (deputy_id, month))"
        )
        where, params = concerned("e")
        cursor.execute(
            "INSERT INTO duty_reprice_delta (deputy_id, month, year, delta, n) "
            f"SELECT e.deputy_id, {_month_sql('e.date')} AS m, {_year_sql('e.date')} AS y, "
            f'%s * COUNT(*) - SUM(e.points), COUNT(*) FROM "{table}" e WHERE {where} '
            "GROUP BY e.deputy_id, m, y",
            [rule.points, *params],
        )
        cursor.execute("SELECT COALESCE(SUM(n), 0) FROM duty_reprice_delta")
        count = cursor.fetchone()[0]
        if count:
            if pg:
                cursor.execute("ANALYZE duty_reprice_delta")  # a temporary table has none
            _reprice_tallies(cursor, result)
            columns = (
                "deputy_id, rule_id, source, content_type_id, object_id, date, points, reason, "
                "record_label, status, replaced_by_id, ended_at, ended_note, created_at"
            )
            cursor.execute(
                f'INSERT INTO "{table}" ({columns}) SELECT e.deputy_id, e.rule_id, e.source, '
                "e.content_type_id, e.object_id, e.date, e.points, e.reason, e.record_label, "
                f'%s, e.id, %s, %s, e.created_at FROM "{table}" e WHERE {where}',
                [E.SUPERSEDED, now, note[:200], *params],
            )
            if cursor.rowcount != count:  # rolls the change back: no history is lost
                raise RuntimeError(f"rule {rule.pk}: {cursor.rowcount} of {count} copies")
            # The copies are superseded: only the entries themselves still match.
            where, params = concerned(f'"{table}"')
            day = f"to_char(\"{table}\".date, 'YYYY-MM-DD')" if pg else f'"{table}".date'
            cursor.execute(
                f'UPDATE "{table}" SET points = %s, reason = %s || {day}, created_at = %s '
                f"WHERE {where}",
                [rule.points, prefix, now, *params],
            )
            if cursor.rowcount != count:
                raise RuntimeError(f"rule {rule.pk}: {cursor.rowcount} of {count} repriced")
        cursor.execute("DROP TABLE duty_reprice_delta")
    result.created = result.ended = count
    return result


def _reprice_tallies(cursor, result: SyncResult) -> None:
    """The monthly and yearly tallies moved by the change of points in duty_reprice_delta, in
    one UPDATE (each entry is replaced one for one, so the counts stay): recounting every
    active entry of the months concerned would read the whole ledger of the period. A month
    with no tally yet (never the case while the services keep them) is recounted."""
    tally = PointTally._meta.db_table
    cursor.execute("SELECT deputy_id, year, SUM(delta) FROM duty_reprice_delta GROUP BY 1, 2")
    for deputy_id, year, delta in cursor.fetchall():
        result.deltas[(deputy_id, year)] += Decimal(str(delta)).quantize(Decimal("0.1"))
    cursor.execute(
        f'UPDATE "{tally}" SET points = ROUND("{tally}".points + d.delta, 1) '
        f'FROM duty_reprice_delta d WHERE "{tally}".deputy_id = d.deputy_id '
        f'AND "{tally}".month = d.month AND d.delta <> 0'
    )
    cursor.execute(
        "SELECT d.deputy_id, d.month FROM duty_reprice_delta d WHERE NOT EXISTS "
        f'(SELECT 1 FROM "{tally}" t WHERE t.deputy_id = d.deputy_id AND t.month = d.month)'
    )
    result.months.update((deputy_id, _as_date(month)) for deputy_id, month in cursor.fetchall())
    cursor.execute("SELECT MIN(year), MAX(year) FROM duty_reprice_delta")
    first, last = cursor.fetchone()
    # Every deputy of those years: summing their monthly tallies again costs less than naming
    # the deputies concerned.
    _year_tallies_refresh(cursor, (first, last), None)


class _Preview(Exception):
    pass


def rule_save(
    *,
    actor,
    rule: PointRule | None = None,
    confirm_negative: bool = False,
    preview: bool = False,
    **values,
) -> RuleChangeResult:
    """Create a rule or change one, and recompute the ledger entries it affects.

    The effect is computed first: when it would lower some deputy's total for a year below
    zero the change is refused with `NegativeTotals` unless `confirm_negative`. With `preview`
    nothing is kept: the result says what saving would do.
    """
    require(actor, Perm.DEPUTIES_MANAGE)
    unknown = set(values) - set(RULE_FIELDS) - {"activity_kind"}
    if unknown:
        raise TypeError(f"unknown rule fields: {sorted(unknown)}")
    creating = rule is None
    old: PointRule | None = None
    if creating:
        rule = PointRule()
    else:
        old = PointRule.objects.get(pk=rule.pk)
        rule = PointRule.objects.get(pk=rule.pk)
        if values.get("source", rule.source) != rule.source:
            raise ValidationError({"source": "规则创建后不能更改积分来源，请新建一条规则。"})
    for name, value in values.items():
        setattr(rule, name, value)
    if rule.source != PointRule.Source.ATTENDANCE:
        rule.attendance_status = ""
        if hasattr(rule, "activity_kind_id"):
            rule.activity_kind_id = None
    if rule.source not in PointRule.CASE_SOURCES:
        rule.case_kind = ""
    if rule.source == PointRule.Source.ATTENDANCE and not rule.attendance_status:
        raise ValidationError({"attendance_status": "“履职活动出勤”规则须选择出勤情况。"})
    if rule.valid_from and rule.valid_to and rule.valid_to < rule.valid_from:
        raise ValidationError({"valid_to": "失效日期不能早于生效日期。"})
    if rule.points is not None and not -100 <= rule.points <= 100:
        raise ValidationError({"points": "分值应在 -100 到 100 之间。"})
    rule.full_clean()
    _check_overlap(rule)
    before = _snapshot(old) if old is not None else {}
    after = _snapshot(rule)
    outcome: RuleChangeResult | None = None
    try:
        with transaction.atomic():
            rule.save()
            note = f"积分规则“{rule.name}”修改"
            if _same_matching(old, rule):
                sync = _rule_reprice(rule, note)
            else:
                start, end = _affected_window(old, rule)
                sync = _sync_sources_between([SOURCES[rule.source]], start, end, note)
            tally_refresh(sync.months)
            negatives = _negatives(sync.deltas)
            outcome = RuleChangeResult(rule=rule, sync=sync, negatives=negatives)
            if preview:
                raise _Preview()
            if negatives and not confirm_negative:
                raise NegativeTotals(negatives)
            outcome.change = PointRuleChange.objects.create(
                rule=rule,
                actor=actor if getattr(actor, "is_authenticated", False) else None,
                before=before,
                after=after,
                entries_created=sync.created,
                entries_ended=sync.ended,
                negative_confirmed=bool(negatives),
            )
    except _Preview:
        if creating:
            rule.pk = None
        assert outcome is not None
        return outcome
    assert outcome is not None
    return outcome


# ---------------------------------------------------------------------------------------------
# Nominations


def nomination_propose(
    *,
    actor,
    honour: str,
    congress: OrgUnit,
    year: int,
    top: int,
    deputies,
    rules: list[PointRule] | None = None,
) -> list[Nomination]:
    """Propose the `top` deputies of `deputies` (a congress's, already scoped) by points of
    `year` — all points for 履职积极分子, points from suggestions for 优秀建议领衔代表 unless
    `rules` names the rules to count. Proposals already made for that honour and year stay;
    those still unconfirmed are replaced by the new ranking."""
    require(actor, Perm.DEPUTIES_MANAGE)
    if honour not in Nomination.Honour.values:
        raise ValidationError("请选择荣誉类别。")
    if not 1 <= top <= 200:
        raise ValidationError("推荐人数应在 1 到 200 之间。")
    if not congress.is_congress:
        raise ValidationError(f"“{congress.name}”不是人大机关，不能推荐。")
    entries = PointEntry.objects.filter(status=E.ACTIVE, date__year=year, deputy__in=deputies)
    if rules:
        entries = entries.filter(rule__in=rules)
        basis = "按规则：" + "、".join(r.name for r in rules)
    elif honour == Nomination.Honour.SUGGESTION_LEAD:
        entries = entries.filter(source__in=PointRule.CASE_SOURCES, rule__case_kind="suggestion")
        basis = "按代表建议相关积分"
    else:
        basis = "按年度履职积分总分"
    ranked = list(
        entries.values("deputy_id")
        .annotate(total=Sum("points"))
        .filter(total__gt=0)
        .order_by("-total", "deputy_id")[:top]
    )
    if not ranked:
        raise ValidationError(f"{year} 年没有可据以推荐的积分记录。")
    now = timezone.now()
    with transaction.atomic():
        current = {
            n.deputy_id: n
            for n in Nomination.objects.select_for_update().filter(
                honour=honour, year=year, congress=congress, status__in=Nomination.OPEN_OR_DECIDED
            )
        }
        made = []
        for rank, row in enumerate(ranked, start=1):
            text = f"{basis}，{year} 年共 {format_points(row['total'])} 分，第 {rank} 名"
            nomination = current.pop(row["deputy_id"], None)
            if nomination is not None and nomination.status != Nomination.Status.PROPOSED:
                continue  # already decided: the decision stands
            if nomination is None:
                nomination = Nomination(
                    honour=honour, year=year, congress=congress, deputy_id=row["deputy_id"]
                )
            nomination.rank, nomination.points, nomination.basis = rank, row["total"], text
            nomination.proposed_by, nomination.proposed_at = actor, now
            nomination.full_clean()
            nomination.save()
            made.append(nomination)
        # Earlier proposals that fell out of the new ranking are withdrawn, not deleted.
        for nomination in current.values():
            if nomination.status == Nomination.Status.PROPOSED:
                nomination.status = Nomination.Status.WITHDRAWN
                nomination.decided_by, nomination.decided_at = actor, now
                nomination.note = "重新推荐后未进入名单"
                nomination.save(update_fields=["status", "decided_by", "decided_at", "note"])
    return made


@transaction.atomic
def nomination_decide(
    *, actor, nomination: Nomination, confirm: bool, note: str = ""
) -> Nomination:
    """确认 or 不予采纳 a proposal; the decision keeps who made it and when."""
    require(actor, Perm.DEPUTIES_MANAGE)
    fresh = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if fresh.status != Nomination.Status.PROPOSED:
        raise ValidationError(
            f"该推荐已于 {timezone.localtime(fresh.decided_at):%Y-%m-%d %H:%M} "
            f"{fresh.get_status_display()}，不能重复处理。"
        )
    note = (note or "").strip()
    if len(note) > 300:
        raise ValidationError("说明不能超过300字。")
    fresh.status = Nomination.Status.CONFIRMED if confirm else Nomination.Status.DECLINED
    fresh.decided_by = actor
    fresh.decided_at = timezone.now()
    fresh.note = note
    fresh.full_clean()
    fresh.save(update_fields=["status", "decided_by", "decided_at", "note"])
    return fresh
