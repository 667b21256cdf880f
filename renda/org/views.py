from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from renda.org import selectors
from renda.org.models import Level


@login_required
def units(request):
    tops = selectors.unit_children_for_user(request.user, None)
    return render(request, "org/units.html", {"units": tops})


@login_required
def unit_children(request, pk: int):
    """htmx: the next level of the unit tree, loaded when a node is opened."""
    unit = selectors.get_unit_for_user(request.user, pk)
    children = selectors.unit_children_for_user(request.user, unit)
    return render(request, "org/_unit_nodes.html", {"units": children})


@login_required
def unit_detail(request, pk: int):
    unit = selectors.get_unit_for_user(request.user, pk)
    children = selectors.unit_children_for_user(request.user, unit)
    stations = selectors.stations_for_user(request.user).filter(congress=unit)
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "ancestors": selectors.unit_ancestors_for_user(request.user, unit),
            "children": children,
            "stations": stations,
        },
    )


@login_required
def stations(request):
    tops = selectors.station_children_for_user(request.user, None)
    return render(request, "org/stations.html", {"stations": tops})


@login_required
def station_children(request, pk: int):
    station = selectors.get_station_for_user(request.user, pk)
    children = selectors.station_children_for_user(request.user, station)
    return render(request, "org/_station_nodes.html", {"stations": children})


@login_required
def station_detail(request, pk: int):
    station = selectors.get_station_for_user(request.user, pk)
    return render(
        request,
        "org/station_detail.html",
        {
            "station": station,
            "children": selectors.station_children_for_user(request.user, station),
        },
    )


@login_required
def grids(request):
    qs = selectors.grids_for_user(request.user).filter(is_active=True)
    town = request.GET.get("region", "")
    if town.isdigit():
        region = selectors.get_region_for_user(request.user, int(town))
        qs = qs.filter(region__path__startswith=region.path)
    query = request.GET.get("q", "").strip()
    if query:
        qs = qs.filter(name__icontains=query)
    page = Paginator(qs.order_by("code"), 50).get_page(request.GET.get("page"))
    towns = selectors.regions_for_user(request.user).filter(level=Level.TOWN).order_by("code")
    return render(
        request,
        "org/grids.html",
        {"page": page, "towns": towns, "region_id": town, "q": query},
    )


@login_required
def grid_detail(request, pk: int):
    grid = selectors.get_grid_for_user(request.user, pk)
    return render(request, "org/grid_detail.html", {"grid": grid})
