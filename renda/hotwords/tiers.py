"""Which counts are kept for a case, and which of them a question reads.

A case counts once for each of its terms (and once under the term "", the case itself) in:

- `DailyTermCount` at (day, area, category): the base, where a small region's days are read;
- `TermRollup` by month, over every category (category 0), for its area and every region
  above it;
- `TermRollup` by month and category for the regions at `MONTHLY_BY_CATEGORY` levels above
  (or at) its area: a town's month by category has hardly fewer rows than its days, so it is
  read from the daily counts instead;
- `TermRollup` by day over every category for the regions at `DAILY_ALL` levels (the city
  and above), where the daily counts of all towns would be a dozen times as many rows.

A question (regions, category, period) reads the whole months of the period from the monthly
rollup and its ragged ends (at most two pieces of less than a month) from the daily rollup or
the daily counts, as `plan` decides per region: on a million cases over three years a year
of the city is about 150,000 rows, a month of a town a few thousand.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from renda.org.models import Level

MONTHLY_BY_CATEGORY = frozenset({Level.PROVINCE, Level.CITY, Level.COUNTY})
DAILY_ALL = frozenset({Level.PROVINCE, Level.CITY})
TOTAL = ""  # the term that counts the cases themselves
ALL = 0  # TermRollup.category for every category
DAY, MONTH = "d", "m"

DailyKey = tuple[dt.date, int, int, str]  # day, area, category, term
RollupKey = tuple[int, str, int, dt.date, str]  # node, grain, category, start, term


@dataclass(frozen=True)
class Node:
    """A region as the tiers see it."""

    id: int
    path: str
    level: str


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def keys_for(
    *, day: dt.date, chain: Sequence[Node], category_id: int, terms: Iterable[str]
) -> tuple[set[DailyKey], set[RollupKey]]:
    """The cells one case counts in. `chain`: its area first, then the regions above it."""
    names = {TOTAL, *terms}
    area = chain[0].id
    daily = {(day, area, category_id, t) for t in names}
    month = month_of(day)
    rollup: set[RollupKey] = set()
    for node in chain:
        cells = [(node.id, MONTH, ALL, month)]
        if node.level in MONTHLY_BY_CATEGORY:
            cells.append((node.id, MONTH, category_id, month))
        if node.level in DAILY_ALL:
            cells.append((node.id, DAY, ALL, day))
        rollup.update((*cell, t) for cell in cells for t in names)
    return daily, rollup


def split(start: dt.date, end: dt.date) -> tuple[tuple[dt.date, dt.date] | None, list]:
    """The whole months inside [start, end] as (first month, last month), or None; and the
    ragged ends as (first day, last day) pieces."""
    first = start if start.day == 1 else _next_month(start)
    after = end + dt.timedelta(days=1)
    stop = after if after.day == 1 else month_of(end)  # the day after the last whole month
    if first >= stop:
        return None, [(start, end)]
    months = (first, month_of(stop - dt.timedelta(days=1)))
    ragged = []
    if start < first:
        ragged.append((start, first - dt.timedelta(days=1)))
    if stop <= end:
        ragged.append((stop, end))
    return months, ragged


@dataclass(frozen=True)
class Part:
    """One `SELECT term, cases …` of a question; `table` is "rollup" or "daily"."""

    table: str
    nodes: tuple[Node, ...]
    first: dt.date
    last: dt.date
    grain: str = DAY
    category: int | None = None  # None: every category (daily counts only)


def plan(nodes: Sequence[Node], category: int | None, start: dt.date, end: dt.date) -> list[Part]:
    """The parts whose rows, summed by term, count the cases of `nodes` (disjoint subtrees)
    in [start, end], of `category` (None: every category)."""
    months, ragged = split(start, end)
    parts: list[Part] = []

    def add(table, group, first, last, grain=DAY, cat=None):
        if group:
            parts.append(Part(table, tuple(group), first, last, grain, cat))

    if category is None:
        daily_all = [n for n in nodes if n.level in DAILY_ALL]
        rest = [n for n in nodes if n.level not in DAILY_ALL]
        if months:
            add("rollup", nodes, *months, MONTH, ALL)
        for first, last in ragged:
            add("rollup", daily_all, first, last, DAY, ALL)
            add("daily", rest, first, last)
    else:
        by_month = [n for n in nodes if n.level in MONTHLY_BY_CATEGORY]
        rest = [n for n in nodes if n.level not in MONTHLY_BY_CATEGORY]
        if months:
            add("rollup", by_month, *months, MONTH, category)
        for first, last in ragged:
            add("daily", by_month, first, last, DAY, category)
        add("daily", rest, start, end, DAY, category)
    return parts
