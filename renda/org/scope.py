"""One selector turns a user into a data scope; every list and getter filters through it.

A `Scope` is the union of the user's grants (one per active membership). Callers describe how
their model reaches the organisation — through a region, a unit, a station, an assigned unit
or an owner — and `Scope.q()` builds the filter. Tree membership is a materialised-path prefix
test, so a subtree costs one indexed `LIKE 'path%'`.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet

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


def _path(lookup: str) -> str:
    return f"{lookup}__path" if lookup else "path"


def _pk(lookup: str) -> str:
    return lookup or "pk"


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
    ) -> Q | None:
        """The filter for this grant, or None when it reaches nothing of the model."""
        scope = self.spec.scope
        parts: list[Q] = []
        if scope == DataScope.ALL:
            return Q()
        if scope == DataScope.UNIT_AND_BELOW:
            region_obj = self.region
            if region_obj is not None:
                parts += [Q(**{f"{_path(r)}__startswith": region_obj.path}) for r in region]
            if self.unit is not None:
                parts += [Q(**{f"{_path(u)}__startswith": self.unit.path}) for u in unit]
            if self.station is not None:
                parts += [Q(**{f"{_path(s)}__startswith": self.station.path}) for s in station]
        elif scope == DataScope.UNIT_ONLY:
            assert self.unit is not None
            # The unit's own rows; a model that has no unit falls back to the unit's own
            # region (not its subtree).
            if unit:
                parts += [Q(**{_pk(u): self.unit.pk}) for u in unit]
            else:
                parts += [Q(**{_pk(r): self.unit.region_id}) for r in region]
        elif scope == DataScope.ASSIGNED:
            assert self.unit is not None
            parts += [Q(**{_pk(a): self.unit.pk}) for a in assigned_unit or unit]
        elif scope == DataScope.SELF:
            parts += [Q(**{_pk(o): user_id}) for o in owner]
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
    ) -> Q:
        """A filter over a model that reaches the organisation through the given lookups.

        Each lookup is a field path ('' for the model itself), e.g. for a grid
        `region="region"`, for a unit `unit="", region="region"`.
        """
        kwargs = {
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

    def filter(self, qs: QuerySet[M], **lookups: Lookups) -> QuerySet[M]:
        q = self.q(**lookups)
        if not q:
            return qs
        qs = qs.filter(q)
        # A filter across a to-many relation can repeat rows: distinct keeps lists honest.
        if any("__" in name for value in lookups.values() for name in _as_tuple(value)):
            qs = qs.distinct()
        return qs


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
