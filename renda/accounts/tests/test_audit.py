"""The operation log: every change of master data names who made it."""

from auditlog.models import LogEntry

from renda.org.models import Grid


def test_it_logs_master_data_changes_with_the_actor(personas, login):
    client = login(personas.admin)
    grid = personas.grids["town"]
    response = client.post(
        f"/admin/org/grid/{grid.pk}/change/",
        {"code": grid.code, "name": "湖滨一号网格", "region": grid.region_id, "is_active": "on"},
    )
    assert response.status_code == 302
    entry = LogEntry.objects.get_for_object(Grid.objects.get(pk=grid.pk)).latest("timestamp")
    assert entry.actor == personas.admin
    assert "湖滨一号网格" in str(entry.changes)


def test_it_logs_creation_by_services(personas):
    assert LogEntry.objects.filter(content_type__model="orgunit").count() >= 10
