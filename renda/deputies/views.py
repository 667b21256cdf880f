from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from renda.deputies import selectors
from renda.deputies.models import Seat, Sector
from renda.org.models import Level
from renda.org.selectors import get_grid_for_user, get_station_for_user, get_unit_for_user


@login_required
def deputy_list(request):
    qs = selectors.deputies_with_seats(selectors.deputies_for_user(request.user))
    level = request.GET.get("level", "")
    if level in Level.values:
        qs = qs.filter(
            seats__term__congress__region__level=level, seats__status=Seat.Status.SERVING
        )
    sector = request.GET.get("sector", "")
    if sector.isdigit():
        qs = qs.filter(sector_id=int(sector))
    query = request.GET.get("q", "").strip()
    if query:
        qs = qs.filter(name__icontains=query)
    page = Paginator(qs.order_by("name", "pk").distinct(), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "deputies/list.html",
        {
            "page": page,
            "q": query,
            "level": level,
            "sector": sector,
            "levels": [(v, label) for v, label in Level.choices if v != Level.PROVINCE],
            "sectors": Sector.objects.filter(is_active=True),
            "show_personal": selectors.can_see_personal_data(request.user),
            "show_coverage": selectors.can_view_deputies(request.user),
        },
    )


@login_required
def deputy_detail(request, pk: int):
    deputy = selectors.get_deputy_for_user(request.user, pk)
    return render(
        request,
        "deputies/detail.html",
        {
            "deputy": deputy,
            "seats": deputy.seats.select_related("term__congress__region").order_by(
                "term__congress__path"
            ),
            "stations": deputy.station_memberships.select_related("station"),
            "grids": deputy.grid_assignments.select_related("grid__region"),
            "show_personal": selectors.can_see_personal_data(request.user, deputy),
        },
    )


def _deputy_table(request, qs, empty: str):
    page = Paginator(selectors.deputies_with_seats(qs).order_by("name", "pk"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "deputies/_table.html",
        {
            "page": page,
            "empty": empty,
            "show_personal": selectors.can_see_personal_data(request.user),
        },
    )


@login_required
def of_unit(request, pk: int):
    """htmx: the serving deputies of a congress, for the org browser's unit page."""
    unit = get_unit_for_user(request.user, pk)
    return _deputy_table(
        request, selectors.deputies_of_unit_for_user(request.user, unit), "本单位没有在任代表。"
    )


@login_required
def of_station(request, pk: int):
    station = get_station_for_user(request.user, pk)
    return _deputy_table(
        request,
        selectors.deputies_for_user(request.user).filter(station_memberships__station=station),
        "暂无进站代表。",
    )


@login_required
def of_grid(request, pk: int):
    grid = get_grid_for_user(request.user, pk)
    return _deputy_table(
        request,
        selectors.deputies_for_user(request.user).filter(grid_assignments__grid=grid),
        "该网格尚无代表。",
    )


@login_required
def grid_coverage(request):
    """代表进网格: every grid of a town should have a deputy; this page names those without."""
    towns = list(selectors.towns_for_user(request.user))
    town = None
    chosen = request.GET.get("town", "")
    if chosen.isdigit():
        town = next((t for t in towns if t.pk == int(chosen)), None)
        if town is None:
            raise Http404("没有这个乡镇街道。")
    elif towns:
        town = towns[0]
    grids = selectors.grid_coverage(request.user, town) if town is not None else []
    uncovered = [g for g in grids if g.deputy_count == 0]
    return render(
        request,
        "deputies/grid_coverage.html",
        {
            "towns": towns,
            "town": town,
            "grids": grids,
            "uncovered": uncovered,
            "covered_count": len(grids) - len(uncovered),
        },
    )
