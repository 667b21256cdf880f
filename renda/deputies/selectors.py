"""Reads of deputies, always through the reader's data scope."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from renda.deputies.models import Deputy, Seat
from renda.org.models import Grid, Level, OrgUnit, Region
from renda.org.roles import Perm
from renda.org.scope import require, scope_for
from renda.org.selectors import grids_for_user

# A deputy is within a scope through a seat at a congress in it, a station, or a grid.
DEPUTY_LOOKUPS = {
    "unit": "seats__term__congress",
    "region": ("seats__term__congress__region", "grid_assignments__grid__region"),
    "station": "station_memberships__station",
    "owner": "user",
}


def deputies_for_user(user) -> QuerySet[Deputy]:
    if not can_view_deputies(user):
        # A deputy (or anyone else) sees only the deputy record that is their own.
        return (
            Deputy.objects.filter(user_id=user.pk)
            if user.is_authenticated
            else Deputy.objects.none()
        )
    return scope_for(user).filter(Deputy.objects.all(), **DEPUTY_LOOKUPS)


def deputies_with_seats(qs: QuerySet[Deputy]) -> QuerySet[Deputy]:
    return qs.select_related("sector").prefetch_related(
        Prefetch(
            "seats",
            queryset=Seat.objects.select_related("term__congress__region").order_by(
                "term__congress__path"
            ),
        )
    )


def deputies_of_unit_for_user(user, unit: OrgUnit) -> QuerySet[Deputy]:
    return deputies_for_user(user).filter(
        seats__term__congress=unit, seats__status=Seat.Status.SERVING
    )


def get_deputy_for_user(user, pk: int, *, write: bool = False) -> Deputy:
    deputy = get_object_or_404(deputies_for_user(user), pk=pk)
    if write:
        require(user, Perm.DEPUTIES_MANAGE)
    return deputy


def can_see_personal_data(user, deputy: Deputy | None = None) -> bool:
    if deputy is not None and deputy.user_id == user.pk:
        return True
    return scope_for(user).can(Perm.PERSONAL_DATA)


def can_view_deputies(user) -> bool:
    """Whether the user sees the deputies of their scope (the roster, grid coverage), rather
    than only their own record."""
    return scope_for(user).can(Perm.DEPUTIES_VIEW)


def towns_for_user(user) -> QuerySet[Region]:
    """The towns (乡镇街道) in the user's scope, for the grid coverage page."""
    require(user, Perm.DEPUTIES_VIEW)
    return (
        scope_for(user).filter(Region.objects.filter(level=Level.TOWN), region="").order_by("code")
    )


def grid_coverage(user, town: Region) -> list[Grid]:
    """The active grids of a town in the user's scope, each with `deputy_count`: the deputies
    with a serving seat assigned to it (代表进网格). A grid with none still needs a deputy."""
    serving = Q(
        deputy_assignments__deputy__seats__status=Seat.Status.SERVING,
    )
    return list(
        grids_for_user(user)
        .filter(region__path__startswith=town.path, is_active=True)
        .annotate(deputy_count=Count("deputy_assignments__deputy", filter=serving, distinct=True))
        .order_by("code")
    )
