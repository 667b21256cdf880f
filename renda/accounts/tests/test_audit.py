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


def test_it_shows_admin_the_security_logs_in_chinese(client, personas, login):
    client.post("/accounts/login/", {"username": "town_clerk", "password": "wrong"})
    admin_client = login(personas.admin)
    index = admin_client.get("/admin/").text
    for name in ["登录日志", "登录失败记录", "登录锁定", "操作日志"]:
        assert name in index
    failures = admin_client.get("/admin/accounts/loginfailure/")
    assert "town_clerk" in failures.text
    operations = admin_client.get("/admin/accounts/operationlog/")
    assert operations.status_code == 200
    assert "东湖街道人大工委" in operations.text


def test_it_keeps_the_logs_read_only(personas, login):
    client = login(personas.admin)
    entry = LogEntry.objects.first()
    response = client.post(f"/admin/accounts/operationlog/{entry.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert LogEntry.objects.filter(pk=entry.pk).exists()
