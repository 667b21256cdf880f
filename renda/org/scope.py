"""One selector turns a user into a data scope; every list and getter filters through it.

A `Scope` is the union of the user's grants (one per active membership). Callers describe how
their model reaches the organisation — through a region, a unit, a station, an assigned unit
or an owner — and `Scope.q()` builds the filter. Tree membership is a materialised-path prefix
test, so a subtree costs one indexed `LIKE 'path%'`.

`Scope.filter()` knows the model, so it writes every hop through a relation as a semi-join
(`region_id IN (SELECT id FROM org_region WHERE path LIKE …)`, and for a to-many hop
`id IN (SELECT case_id FROM cases_assignment WHERE …)`): rows are never repeated, so no
DISTINCT is needed, and a newest-first page can stop after its rows instead of sorting and
de-duplicating everything in scope (bench/bench_cases.py, a million cases).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.db.models.fields.related import ForeignObjectRel

from renda.lib.memo import remembered
from renda.org.models import Membership, OrgUnit, Region, Station
from renda.org.roles import DATA_SCOPE_LABELS, DataScope, Perm, Role, RoleSpec, spec_for

Lookups = str | Sequence[str] | None
M = TypeVar("M", bound=Model)


def _as_tuple(lookups: Lookups) -> tuple[str, ...]:
    if lookups is None:
        return ()
    if isinstance(lookups, str):
        return (lookups,)
    return tuple(lookups)


# What a grant asks of the object a lookup reaches: that its path starts with a prefix (a
# subtree), or that it is one row.
SUBTREE = "path__startswith"
EXACT = "pk"


def _joined(lookup: str, test: str, value) -> Q:
    """`lookup__test=value` as Django writes it: joins, repeating rows across a to-many hop."""
    if not lookup:
        return Q(**{test: value})
    return Q(**{lookup if test == EXACT else f"{lookup}__{test}": value})


# A subtree of at most this many rows may be written as the list of its ids (`listed`): a
# town or a county. A city's is all but everything, and a long list costs PostgreSQL's
# planner more than it saves (42 ms to plan a city clerk's inbox counts with 330 regions).
LISTED_SUBTREE_MAX = 200


@remembered(key=lambda model, path: (model._meta.label, path))
def subtree_ids(model: type[Model], path: str) -> tuple[int, ...] | None:
    """The ids of the rows of a tree model (Region, OrgUnit, Station) under `path`, itself
    included, or None past LISTED_SUBTREE_MAX. Remembered for a minute (renda.lib.memo); a
    save or delete of a tree row forgets it in this process (OrgConfig.ready), so another
    process may miss a row added under `path` for up to a minute."""
    ids = tuple(
        model._base_manager.filter(path__startswith=path)
        .order_by("pk")
        .values_list("pk", flat=True)[: LISTED_SUBTREE_MAX + 1]
    )
    return ids if len(ids) <= LISTED_SUBTREE_MAX else None


def _semi_join(model: type[Model], lookup: str, test: str, value, *, listed: bool = False) -> Q:
    """`lookup__test=value` on `model` with every relation hop as an `IN (subquery)`.

    A forward foreign key becomes `fk__in=<related rows>` (the column is compared, nothing is
    joined); a reverse or many-to-many hop becomes `pk__in=<the related rows' link column>`.
    Either way each row of `model` appears at most once.
    """
    if not lookup:
        return Q(**{test: value})
    first, _, rest = lookup.partition("__")
    field = model._meta.get_field(first)
    if not field.is_relation:  # pragma: no cover - lookups name relations
        return _joined(lookup, test, value)
    related = field.related_model
    if field.many_to_one or (field.one_to_one and not isinstance(field, ForeignObjectRel)):
        if not rest and test == EXACT:
            return Q(**{first: value})
        if listed and not rest and test == SUBTREE:
            ids = subtree_ids(related, value)
            if ids is not None:
                return Q(**{f"{first}__in": ids})
        inner = related._base_manager.filter(_semi_join(related, rest, test, value))
        return Q(**{f"{first}__in": inner.values("pk")})
    if isinstance(field, ForeignObjectRel) and not field.many_to_many:
        # Reverse foreign key (or one-to-one): the related rows point back with one column.
        inner = related._base_manager.filter(_semi_join(related, rest, test, value))
        return Q(pk__in=inner.values(field.field.attname))
    # Many-to-many: let Django join through the link table, inside the subquery.
    inner = model._base_manager.filter(
        **{f"{first}__in": related._base_manager.filter(_semi_join(related, rest, test, value))}
    )
    return Q(pk__in=inner.values("pk"))


@dataclass(frozen=True)
class Grant:
    spec: RoleSpec
    unit: OrgUnit | None = None
    station: Station | None = None

    @property
    def region(self) -> Region | None:
        if self.unit is not None:
            return self.unit.region
        if self.station is not None:
            return self.station.region
        return None

    def q(
        self,
        *,
        user_id: int,
        region: tuple[str, ...],
        unit: tuple[str, ...],
        station: tuple[str, ...],
        assigned_unit: tuple[str, ...],
        owner: tuple[str, ...],
        model: type[Model] | None = None,
        listed: bool = False,
    ) -> Q | None:
        """The filter for this grant, or None when it reaches nothing of the model. With the
        model, relation hops are semi-joins (see `_semi_join`); without it, joins."""

        def reach(lookup: str, test: str, value) -> Q:
            if model is None:
                return _joined(lookup, test, value)
            return _semi_join(model, lookup, test, value, listed=listed)

        scope = self.spec.scope
        parts: list[Q] = []
        if scope == DataScope.ALL:
            return Q()
        if scope == DataScope.UNIT_AND_BELOW:
            region_obj = self.region
            if region_obj is not None:
                parts += [reach(r, SUBTREE, region_obj.path) for r in region]
            if self.unit is not None:
                parts += [reach(u, SUBTREE, self.unit.path) for u in unit]
            if self.station is not None:
                parts += [reach(s, SUBTREE, self.station.path) for s in station]
        elif scope == DataScope.UNIT_ONLY:
            assert self.unit is not None
            # The unit's own rows; a model that has no unit falls back to the unit's own
            # region (not its subtree).
            if unit:
                parts += [reach(u, EXACT, self.unit.pk) for u in unit]
            else:
                parts += [reach(r, EXACT, self.unit.region_id) for r in region]
        elif scope == DataScope.ASSIGNED:
            assert self.unit is not None
            parts += [reach(a, EXACT, self.unit.pk) for a in assigned_unit or unit]
        elif scope == DataScope.SELF:
            parts += [reach(o, EXACT, user_id) for o in owner]
        if not parts:
            return None
        combined = parts[0]
        for part in parts[1:]:
            combined |= part
        return combined


@dataclass(frozen=True)
class Scope:
    user_id: int
    grants: tuple[Grant, ...] = field(default_factory=tuple)

    @property
    def key(self) -> tuple:
        """What the scope's filters are made of, as a hashable: each seat's role, unit and
        station (with their paths, which the subtree tests read), and the user where a seat
        reaches their own rows. The clerks of one town share a key."""
        seats = tuple(
            (
                g.spec.role,
                (g.unit.pk, g.unit.path) if g.unit else None,
                (g.station.pk, g.station.path) if g.station else None,
                g.region.path if g.region else None,
            )
            for g in self.grants
        )
        own = any(g.spec.scope == DataScope.SELF for g in self.grants)
        return (self.user_id if own else None, seats)

    @property
    def is_everything(self) -> bool:
        return any(g.spec.scope == DataScope.ALL for g in self.grants)

    @property
    def perms(self) -> frozenset[Perm]:
        perms: set[Perm] = set()
        for grant in self.grants:
            perms |= grant.spec.perms
        return frozenset(perms)

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(g.spec.role for g in self.grants))

    @property
    def read_only(self) -> bool:
        return all(g.spec.read_only for g in self.grants)

    def can(self, perm: Perm) -> bool:
        return perm in self.perms

    def describe(self) -> str:
        parts = []
        for grant in self.grants:
            place = grant.station or grant.unit
            label = DATA_SCOPE_LABELS[grant.spec.scope]
            parts.append(f"{place} · {label}" if place else label)
        return "；".join(parts)

    def q(
        self,
        *,
        region: Lookups = None,
        unit: Lookups = None,
        station: Lookups = None,
        assigned_unit: Lookups = None,
        owner: Lookups = None,
        model: type[Model] | None = None,
        listed: bool = False,
    ) -> Q:
        """A filter over a model that reaches the organisation through the given lookups.

        Each lookup is a field path ('' for the model itself), e.g. for a grid
        `region="region"`, for a unit `unit="", region="region"`. Given the `model`, every
        relation hop is a semi-join and no row is repeated; without it the lookups join, and a
        lookup across a to-many relation can repeat rows.

        `listed` writes a foreign key into a subtree as the subtree's ids (`subtree_ids`,
        remembered), not a subquery: the planners then see which regions are meant, and a
        town's rows are read by their region instead of filtering a city's. A list that is
        read page after page (the case inbox) asks for it.
        """
        kwargs = {
            "model": model,
            "listed": listed,
            "region": _as_tuple(region),
            "unit": _as_tuple(unit),
            "station": _as_tuple(station),
            "assigned_unit": _as_tuple(assigned_unit),
            "owner": _as_tuple(owner),
        }
        combined: Q | None = None
        for grant in self.grants:
            q = grant.q(user_id=self.user_id, **kwargs)
            if q is None:
                continue
            if not q:  # Q() reaches everything
                return Q()
            combined = q if combined is None else combined | q
        return combined if combined is not None else Q(pk__in=[])

    def filter(self, qs: QuerySet[M], *, listed: bool = False, **lookups: Lookups) -> QuerySet[M]:
        """`qs` narrowed to the scope. Relation hops are semi-joins, so each row comes once
        without a DISTINCT, and ordering, slicing and counting stay cheap."""
        q = self.q(model=qs.model, listed=listed, **lookups)
        return qs.filter(q) if q else qs


_CITIZEN = Grant(spec_for(Role.CITIZEN))


def scope_for(user) -> Scope:
    """The data scope of a user: the union of the grants of their active memberships.

    A superuser sees everything; a signed-in user with no membership is a citizen who sees
    only their own records. Cached on the user object for the request.
    """
    cached = getattr(user, "_renda_scope", None)
    if cached is not None:
        return cached
    if not user.is_authenticated:
        scope = Scope(user_id=0, grants=())
    elif user.is_superuser:
        scope = Scope(user_id=user.pk, grants=(Grant(spec_for(Role.SYSTEM_ADMIN)),))
    else:
        memberships = (
            Membership.objects.filter(user=user, is_active=True)
            .select_related("unit__region", "station__region")
            .order_by("pk")
        )
        grants = tuple(Grant(spec_for(m.role), unit=m.unit, station=m.station) for m in memberships)
        scope = Scope(user_id=user.pk, grants=grants or (_CITIZEN,))
    user._renda_scope = scope
    return scope


def user_can(user, perm: Perm) -> bool:
    return user.is_authenticated and scope_for(user).can(perm)


def require(user, perm: Perm) -> None:
    if not user_can(user, perm):
        raise PermissionDenied("您没有执行此操作的权限。")
