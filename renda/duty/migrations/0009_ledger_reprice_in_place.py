"""A rule change reprices its entries in place and writes a superseded copy of each: no index
holds `points` any more, nothing indexes `replaced_by`, and on PostgreSQL the ledger's pages
are filled to 60 % so the new version of a repriced row fits on its own page (a heap-only
update, no index written). The fillfactor applies to pages written from now on."""

from django.db import migrations, models

FILLFACTOR = 60


def set_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE duty_pointentry SET (fillfactor = {FILLFACTOR})")


def reset_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE duty_pointentry RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("deputies", "0001_initial"),
        ("duty", "0008_ledger_no_db_keys_active_index"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="pointentry",
            name="pointentry_replaced_by",
        ),
        migrations.RemoveIndex(
            model_name="pointentry",
            name="pointentry_active_deputy",
        ),
        migrations.AddIndex(
            model_name="pointentry",
            index=models.Index(
                condition=models.Q(("status", "active")),
                fields=["deputy", "date", "rule", "source", "status"],
                name="pointentry_active_deputy",
            ),
        ),
        migrations.RunPython(set_fillfactor, reset_fillfactor, elidable=False),
    ]
