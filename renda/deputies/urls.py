from django.urls import path

from renda.deputies import transfer_views, views

app_name = "deputies"
urlpatterns = [
    path("", views.deputy_list, name="list"),
    path("<int:pk>/", views.deputy_detail, name="detail"),
    path("of-unit/<int:pk>/", views.of_unit, name="of_unit"),
    path("of-station/<int:pk>/", views.of_station, name="of_station"),
    path("of-grid/<int:pk>/", views.of_grid, name="of_grid"),
    path("grid-coverage/", views.grid_coverage, name="grid_coverage"),
]
urlpatterns += [
    path("transfer/export/", transfer_views.transfer_export, name="transfer_export"),
    path("transfer/import/", transfer_views.transfer_import, name="transfer_import"),
]
