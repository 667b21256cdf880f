from django.urls import path

from renda.org import transfer_views, views

app_name = "org"
urlpatterns = [
    path("", views.units, name="units"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("units/<int:pk>/children/", views.unit_children, name="unit_children"),
    path("stations/", views.stations, name="stations"),
    path("stations/<int:pk>/", views.station_detail, name="station"),
    path("stations/<int:pk>/children/", views.station_children, name="station_children"),
    path("grids/", views.grids, name="grids"),
    path("grids/<int:pk>/", views.grid_detail, name="grid"),
]
urlpatterns += [
    path("transfer/", transfer_views.transfer_page, name="transfer"),
    path("transfer/export/<slug:kind>/", transfer_views.transfer_export, name="transfer_export"),
]
