"""Reads behind the staff pages: the inbox tabs and counts, and the choices the case forms
offer. Every query starts from the reader's data scope (`cases_for_user`, `scope_for`).

A city clerk's scope holds every case of the city (a million after a few years), so nothing
here counts or sorts the whole scope: the tabs of open work show counts that stop at
`COUNT_CAP` (999+), the history tabs (全部, 已办结) show none, and a page is the newest rows
read from an index (`Case.Meta.indexes`). bench/bench_cases.py measures it.
"""

import datetime as dt
import functools
import operator
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from django.db import connections
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from renda.accounts.models import User
from renda.cases.models import Assignment, Case, Category, UrgencyTier
from renda.cases.selectors import CASE_LOOKUPS, cases_for_user
from renda.cases.workflow import CLERKS, acting_congress_path
from renda.lib.memo import remembered
from renda.org.models import Level, Membership, OrgUnit, Region
from renda.org.roles import DataScope, Role
from renda.org.scope import scope_for
from renda.workcal.calendar import add_working_days

S = Case.State

# 即将超期: the deadline falls within this many working days from today.
DUE_SOON_WORKING_DAYS = 3


# A tab's count stops here and shows as "999+": past it the exact figure is not worth
# counting a city's history for, and a list that long is read with filters, not pages.
COUNT_CAP = 1000


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    q: Q
    # Whether the tab shows a count: the tabs of open work do; the history tabs do not.
    counted: bool = True
    # Newest first, read from an index: ("state", "created_at", "id", …) for a tab of one
    # state, ("created_at", "id", …) for the others (Case.Meta.indexes). The deadline tabs put
    # the most urgent first, from ("state", "deadline", …): no row is read to sort them.
    order_by: tuple[str, ...] = ("-created_at", "-pk")


def inbox_tabs(today: dt.date | None = None) -> list[Tab]:
    """The inbox tabs in display order; the first (全部) has no filter."""
    today = today or timezone.localdate()
    soon = add_working_days(today, DUE_SOON_WORKING_DAYS)
    # running_deadline: the deadline of a case in RUNNING_STATES (a generated column).
    return [
        Tab("all", "全部", Q(), counted=False),
        Tab("submitted", "待受理", Q(state=S.SUBMITTED)),
        Tab("accepted", "待交办", Q(state=S.ACCEPTED)),
        Tab("assigned", "待签收", Q(state=S.ASSIGNED)),
        Tab("handling", "办理中", Q(state=S.HANDLING)),
        Tab(
            "due_soon",
            "即将超期",
            Q(running_deadline__gte=today, running_deadline__lte=soon),
            order_by=("running_deadline", "pk"),
        ),
        # As `selectors.overdue`: the unit missed its deadline and has not replied yet.
        Tab(
            "overdue",
            "已超期",
            Q(running_deadline__lt=today),
            order_by=("running_deadline", "pk"),
        ),
        Tab("replied", "待评价", Q(state=S.REPLIED)),
        Tab("done", "已办结", Q(state__in=[S.CLOSED, S.REJECTED, S.MERGED]), counted=False),
    ]


def capped_counts(qs: QuerySet[Case], filters: dict[str, Q], cap: int | None = None) -> dict:
    """How many rows of `qs` each filter keeps, counting no further than `cap`, in one query:
    `SELECT (SELECT COUNT(*) FROM (… LIMIT cap)), …`. Each count stops after `cap` index
    entries, so it costs the same for a town and for a city of a million cases."""
    return _run_counts(qs.db, _counts_statement(qs, filters, cap))


@dataclass(frozen=True)
class _Statement:
    sql: str
    params: tuple
    keys: tuple


def _counts_statement(qs: QuerySet[Case], filters: dict, cap: int | None = None) -> _Statement:
    cap = cap or COUNT_CAP
    parts, params = [], []
    for q in filters.values():
        inner = qs.filter(q).order_by().values("pk")[:cap]
        sql, inner_params = inner.query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) capped)")
        params.extend(inner_params)
    return _Statement(f"SELECT {', '.join(parts)}", tuple(params), tuple(filters))


def _run_counts(alias: str, statement: _Statement) -> dict:
    if not statement.keys:
        return {}
    with connections[alias].cursor() as cursor:
        cursor.execute(statement.sql, statement.params)
        row = cursor.fetchone()
    return dict(zip(statement.keys, row, strict=True))


# The tab counts' SQL, remembered (renda.lib.memo) per scope, filters and tabs: writing the
# fourteen capped subqueries of a town clerk's counts was 11 ms of CPU a page on PostgreSQL
# (bench/bench_cases.py), for a statement that is the same on every page and tab a clerk
# opens. Its parameters hold the scope's remembered subtree ids, so it is forgotten with them
# (a save of a tree row, or after a minute), and the tabs' dates are in its key.
@remembered(key=lambda key, build: key, maxsize=1024)
def _remembered_statement(key, build) -> _Statement:
    return build()


def tab_counts(
    user,
    tabs: list[Tab],
    scoped: QuerySet[Case],
    narrow: Callable[[QuerySet[Case]], QuerySet[Case]],
    filter_key: Hashable,
) -> dict[str, int]:
    """The counted tabs' counts, each capped at COUNT_CAP, in one query: over `scoped` (the
    list's rows, `inbox_cases` narrowed by the filters), or on PostgreSQL over the cases
    narrowed by the same filters (`narrow`) part by part of the scope (`disjoint_scope`).
    `filter_key` says which filters `narrow` applies (the statement is remembered by it).

    A town clerk's scope is "the town's regions, or the town's congress": on that OR
    PostgreSQL reads every case of the city in the tab's state and filters them, while each
    part alone is an index condition, (region, state) or (state, …, congress). The parts are
    the scope, and the OR beside them would only mislead the planner's estimates
    (bench/bench_cases.py: a town clerk's counts at a million cases, 39 -> 9 ms). SQLite
    reads the OR by region already (its OR optimisation)."""
    filters = {t.key: t.q for t in tabs if t.counted}
    postgresql = connections[scoped.db].vendor == "postgresql"

    def build() -> _Statement:
        parts = disjoint_scope(user) if postgresql else ()
        if len(parts) < 2:
            return _counts_statement(scoped, {(key, 0): q for key, q in filters.items()})
        return _counts_statement(
            narrow(Case.objects.using(scoped.db)),
            {(key, i): q & part for key, q in filters.items() for i, part in enumerate(parts)},
        )

    key = (
        scoped.db,
        scope_for(user).key,
        filter_key,
        tuple((t.key, str(t.q)) for t in tabs if t.counted),
    )
    totals = dict.fromkeys(filters, 0)
    for (tab, _), count in _run_counts(scoped.db, _remembered_statement(key, build)).items():
        totals[tab] += count
    return {key: min(COUNT_CAP, total) for key, total in totals.items()}


def disjoint_scope(user) -> tuple[Q, ...]:
    """The parts of the user's case scope, each less the parts before it; none when a part
    is a subquery (a subtree too large to list, as a city's). There every case of a state
    is in the first part, and proving the second part empty read them all again (a city
    clerk's counts: 10 -> 31 ms)."""
    scope = scope_for(user).q(model=Case, listed=True, **CASE_LOOKUPS)
    arms = _or_parts(scope)
    if not all(_without_subquery(arm) for arm in arms):
        return ()
    return tuple(
        arm if i == 0 else arm & ~functools.reduce(operator.or_, arms[:i])
        for i, arm in enumerate(arms)
    )


def _without_subquery(q: Q) -> bool:
    return all(
        _without_subquery(child) if isinstance(child, Q) else not isinstance(child[1], QuerySet)
        for child in q.children
    )


def _or_parts(q: Q) -> list[Q]:
    if q.connector != Q.OR or q.negated or len(q.children) < 2:
        return [q]
    parts: list[Q] = []
    for child in q.children:
        parts += _or_parts(child) if isinstance(child, Q) else [Q(child)]
    return parts


def count_label(count: int | None) -> str:
    if count is None:
        return ""
    return f"{COUNT_CAP - 1}+" if count >= COUNT_CAP else str(count)


@dataclass(frozen=True)
class UncountedPage:
    """A page of a history tab, which is not counted: its rows and whether more follow,
    read in one query of `per_page + 1` rows. The pager's interface of a Django `Page`."""

    object_list: list
    number: int
    more: bool
    last: int  # the last page offered: no deeper than COUNT_CAP rows

    paginator = None

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.more and self.number < self.last

    def has_other_pages(self) -> bool:
        return self.has_previous() or self.has_next()

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def capped(self) -> bool:
        """Rows go on past the last page offered."""
        return self.more and self.number >= self.last

    def __iter__(self):
        return iter(self.object_list)


def uncounted_page(qs: QuerySet[Case], number, per_page: int) -> UncountedPage:
    last = max(COUNT_CAP // per_page, 1)
    try:
        number = min(max(int(number), 1), last)
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * per_page
    # The page's ids first, then their rows. The ids come from the ordering's index alone: on
    # PostgreSQL an index-only scan whose scope filter reads the index's region and congress
    # columns, where the rows' query fetched every scanned row to test it (a town clerk's
    # newest cases at 1M: 28k rows read for 51, 14 ms; the ids alone 4.8 ms).
    ids = list(qs.values_list("pk", flat=True)[start : start + per_page + 1])
    if not ids and number > 1:  # past the end: the first page, as Paginator.get_page does
        return uncounted_page(qs, 1, per_page)
    # In the same order (the ordering ends with the primary key); a row that left the list
    # between the two queries is left out.
    rows = list(qs.filter(pk__in=ids[:per_page])) if ids else []
    return UncountedPage(rows, number, more=len(ids) > per_page, last=last)


def with_lead_unit(qs: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate `lead_unit_name`: the unit of the latest lead assignment not returned, as a
    subquery so a page of rows costs no extra query."""
    lead = (
        Assignment.objects.filter(case=OuterRef("pk"), role=Assignment.Role.LEAD)
        .exclude(state=Assignment.State.RETURNED)
        .order_by("-round", "-pk")
        .values("unit__name")[:1]
    )
    return qs.annotate(lead_unit_name=Subquery(lead))


# What a row of the list shows, and what the row's 交办 check reads (kind, state, the
# congress's path): a page reads these columns only, not the content and reply texts of
# fifty cases nor the related rows' other columns.
LISTED_FIELDS = (
    "code",
    "kind",
    "title",
    "state",
    "deadline",
    "supervision",
    "version",
    "created_at",
    "category__name",
    "region__name",
    "congress__name",
    "congress__path",
)


def listed(qs: QuerySet[Case]) -> QuerySet[Case]:
    """`qs` as the inbox lists it: the row's columns (LISTED_FIELDS) and its lead unit."""
    return with_lead_unit(
        qs.select_related(None)
        .select_related("category", "region", "congress")
        .only(*LISTED_FIELDS)
    )


def inbox_cases(user) -> QuerySet[Case]:
    # A town clerk's tab counts read the town's rows by region instead of filtering the
    # city's rows of each state: 10.9 -> 0.5 ms on SQLite at 100,000 cases.
    return cases_for_user(user, listed=True)


def towns_for_user(user) -> QuerySet[Region]:
    """The towns (乡镇街道) inside the reader's regions: the inbox's region filter. Handlers
    and citizens reach cases, not regions, so they get none (or all, for an administrator)."""
    return (
        scope_for(user).filter(Region.objects.filter(level=Level.TOWN), region="").order_by("code")
    )


# The filter form's choices, remembered (renda.lib.memo): they change a few times a year,
# and reading and rendering them on every page of the list was a tenth of its time. A save of
# a category, urgency tier, region or org unit forgets them (CasesConfig.ready).
@remembered(key=lambda: "categories")
def category_choices() -> tuple[tuple[str, str], ...]:
    return tuple((str(c.pk), str(c)) for c in Category.objects.all())


@remembered(key=lambda: "urgency_tiers")
def urgency_choices() -> tuple[tuple[str, str], ...]:
    return tuple((str(u.pk), str(u)) for u in UrgencyTier.objects.all())


def town_choices(user) -> tuple[tuple[str, str], ...]:
    """`towns_for_user` as choices, remembered per scope: the clerks of a town share them."""
    return _scoped_choices("towns", scope_for(user).key, lambda: towns_for_user(user))


def handling_unit_choices(user) -> tuple[tuple[str, str], ...]:
    """`handling_units_for_user` as choices (bulk assignment), remembered per scope."""
    return _scoped_choices("units", scope_for(user).key, lambda: handling_units_for_user(user))


@remembered(key=lambda name, scope_key, rows: (name, scope_key))
def _scoped_choices(name: str, scope_key, rows: Callable[[], QuerySet]) -> tuple:
    return tuple((str(r.pk), str(r)) for r in rows())


def reaches_regions(user) -> bool:
    """Whether any of the user's seats reaches cases through regions (so the region filter
    has something to offer); answered from the cached scope, without a query."""
    return any(
        g.spec.scope == DataScope.ALL
        or (g.spec.scope == DataScope.UNIT_AND_BELOW and g.region is not None)
        for g in scope_for(user).grants
    )


def is_clerk(user) -> bool:
    """Whether the user holds a seat that may triage and assign (congress clerk, admin)."""
    return any(role in CLERKS for role in scope_for(user).roles)


def handling_units_for_congress(congress: OrgUnit) -> QuerySet[OrgUnit]:
    """The active handling units a congress may assign to: those in its jurisdiction (the
    rule `case_assign` enforces)."""
    return (
        OrgUnit.objects.filter(
            kind=OrgUnit.Kind.HANDLING_UNIT,
            is_active=True,
            region__path__startswith=congress.region.path,
        )
        .select_related("region")
        .order_by("region__path", "code")
    )


def handling_units_for_user(user) -> QuerySet[OrgUnit]:
    """The handling units any of the user's clerk seats may assign to (bulk assignment)."""
    base = OrgUnit.objects.filter(kind=OrgUnit.Kind.HANDLING_UNIT, is_active=True)
    q = Q(pk__in=[])
    for grant in scope_for(user).grants:
        if grant.spec.role not in CLERKS:
            continue
        if grant.spec.scope == DataScope.ALL:
            q = Q()
            break
        if grant.unit is None:
            continue
        if grant.unit.is_congress:  # loaded with its region by scope_for: no query
            q |= Q(region__path__startswith=grant.unit.region.path)
        else:  # a committee acts for the congress it belongs to
            path = acting_congress_path(grant.unit)
            q |= Q(
                region__path__startswith=Subquery(
                    OrgUnit.objects.filter(path=path).values("region__path")[:1]
                )
            )
    return base.filter(q).select_related("region").order_by("region__path", "code")


def congresses_below(case: Case) -> QuerySet[OrgUnit]:
    """Congress bodies under the case's congress whose region holds the case: where it may be
    sent down (下转) to."""
    step = Region.steplen
    path = case.region.path
    prefixes = [path[:end] for end in range(step, len(path) + 1, step)]
    return (
        OrgUnit.objects.filter(
            kind__in=OrgUnit.CONGRESS_KINDS,
            is_active=True,
            path__startswith=case.congress.path,
            region__path__in=prefixes,
        )
        .exclude(pk=case.congress_id)
        .order_by("path")
    )


def leaders_for_case(case: Case) -> QuerySet[User]:
    """Leaders of the case's congress or a congress above it: who may lead it (领办)."""
    step = OrgUnit.steplen
    path = case.congress.path
    prefixes = [path[:end] for end in range(step, len(path) + 1, step)]
    ids = Membership.objects.filter(
        role=Role.LEADER, is_active=True, unit__path__in=prefixes
    ).values("user_id")
    q = Q(pk__in=ids)
    if case.lead_leader_id:
        q |= Q(pk=case.lead_leader_id)
    return User.objects.filter(q).order_by("full_name", "username")
