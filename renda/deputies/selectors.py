"""Reads of deputies, always through the reader's data scope."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from renda.deputies.models import Deputy, Seat
from renda.org.models import OrgUnit
from renda.org.roles import Perm
from renda.org.scope import require, scope_for

# A deputy is within a scope through a seat at a congress in it, a station, or a grid.
DEPUTY_LOOKUPS = {
    "unit": "seats__term__congress",
    "region": ("seats__term__congress__region", "grid_assignments__grid__region"),
    "station": "station_memberships__station",
    "owner": "user",
}


def deputies_for_user(user) -> QuerySet[Deputy]:
    if not scope_for(user).can(Perm.DEPUTIES_VIEW):
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
