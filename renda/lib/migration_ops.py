"""Operations shared by migrations. Kept small and stable: old migrations import them."""

from django.db import migrations


def drop_foreign_key_indexes(app_label: str, model_name: str, fields: tuple[str, ...]):
    """The database half of `AlterField(db_index=False)` on foreign keys: their one-column
    indexes dropped by name (reversed: created again). AlterField itself rebuilds the whole
    table on SQLite, once per field: minutes at a million rows. Use it inside
    `SeparateDatabaseAndState`, with the AlterFields as the state operations."""

    def indexes(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        for name in fields:
            field = model._meta.get_field(name)
            yield (
                model,
                field,
                schema_editor._create_index_name(model._meta.db_table, [field.column]),
            )

    def drop(apps, schema_editor):
        for _model, _field, index in indexes(apps, schema_editor):
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(index)}")

    def create(apps, schema_editor):
        for model, field, _index in indexes(apps, schema_editor):
            schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))

    return migrations.RunPython(drop, create)
