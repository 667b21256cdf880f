"""New rows of several tables written by one SQL statement (PostgreSQL): for a hot write, such
as intake, where a round trip and the ORM's save machinery per row cost more than the rows.

The rows are what `Model.save(force_insert=True)` would write: every concrete column, with
defaults and `auto_now` values filled in by the fields' own `pre_save`, and the database's
generated columns read back. Like `QuerySet.bulk_create` it sends no `pre_save`/`post_save`
signals and does not validate (call `full_clean` first). A row that others refer to takes
its primary key from `drawn_ids` in the same statement; the others' keys are read back. The
foreign keys are checked by the database when the statement (or the transaction, for
deferred ones) ends.

    case_id = ('(SELECT "case" FROM "ids")', [])
    write(
        [Insert(event, computed={"case_id": case_id}), Insert(case, computed={"id": case_id})],
        before=[("ids", *drawn_ids(case=Case))],
    )
"""

import functools
import time
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import psycopg
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    Field,
    ForeignKey,
    Model,
    TextField,
)
from django.db.models.fields import AutoFieldMixin

# SQL for one column in place of its parameter, with the SQL's own parameters.
Expression = tuple[str, Sequence[Any]]


class Insert:
    """The INSERT of one unsaved instance. `computed` gives SQL in place of a column's value
    (e.g. a number taken from a counter in the same statement, or a key drawn by `drawn_ids`).
    Those columns, the generated ones and a primary key left to the database (None) are read
    back into the instance.

    NULL, the empty string and booleans are written as literals rather than parameters: a
    statement of a few short rows then stays within psycopg's cache of parsed queries (at
    most 50 parameters), and each parameter costs quoting. (Not numbers: a statement's text
    would then change with every id, and miss the cache.)"""

    def __init__(self, obj: Model, *, computed: Mapping[str, Expression] | None = None) -> None:
        self.obj = obj
        self.computed = computed or {}
        key_from_database = obj.pk is None and obj._meta.pk.attname not in self.computed
        self.shape = _shape(type(obj), key_from_database, frozenset(self.computed))

    def sql(self, db, returning: Sequence[str] = ()) -> tuple[str, list[Any]]:
        """The statement and its parameters, the values as `save()` would prepare them."""
        obj, computed = self.obj, self.computed
        values, params = [], []
        for field, plain in zip(self.shape.written, self.shape.plain, strict=True):
            if field.attname in computed:
                sql, sql_params = computed[field.attname]
                values.append(sql)
                params.extend(sql_params)
                continue
            value = getattr(obj, field.attname)
            if type(value) not in plain:
                value = field.get_db_prep_save(field.pre_save(obj, add=True), db)
            if value is None:
                values.append("NULL")
            elif value is True or value is False:
                values.append("TRUE" if value else "FALSE")
            elif type(value) is str and not value:
                values.append("''")
            else:
                values.append("%s")
                params.append(value)
        shape = self.shape
        sql = f"INSERT INTO {shape.table} ({shape.columns}) VALUES ({', '.join(values)})"
        returning = [*shape.returning, *returning]
        return sql + (f" RETURNING {', '.join(returning)}" if returning else ""), params

    def returned(self, row: Sequence[Any], db) -> None:
        """Set what the database computed (the RETURNING values) on the instance, which is
        then a saved one, as after `save()`."""
        for field, converters, value in zip(
            self.shape.read_back, self.shape.converters, row, strict=True
        ):
            for converter in converters:
                value = converter(value, None, db)
            setattr(self.obj, field.attname, value)
        self.obj._state.adding = False
        self.obj._state.db = db.alias


class _Shape(NamedTuple):
    written: list[Field]
    plain: list[frozenset[type]]  # of each written field: see _plain_types
    read_back: list[Field]
    columns: str  # the written fields' columns, quoted
    table: str
    returning: list[str]  # the read-back fields' columns, quoted
    converters: list[tuple]  # of each read-back field's value


@functools.cache
def _shape(model: type[Model], key_from_database: bool, computed: frozenset[str]) -> _Shape:
    """What every insert of the model with these computed columns writes and reads back."""
    meta = model._meta
    if key_from_database and not meta.pk.db_returning:
        raise ValueError(f"{meta.label}: set the primary key, the database gives none")
    written = [
        f
        for f in meta.concrete_fields
        if not f.generated and not (f.primary_key and key_from_database)
    ]
    read_back = [f for f in meta.concrete_fields if f.generated]
    if key_from_database:
        read_back.insert(0, meta.pk)
    read_back += [f for f in written if f.attname in computed]
    quote = connection.ops.quote_name
    return _Shape(
        written=written,
        plain=[_plain_types(f) for f in written],
        read_back=read_back,
        columns=", ".join(quote(f.column) for f in written),
        table=quote(meta.db_table),
        returning=[quote(f.column) for f in read_back],
        converters=[tuple(f.get_db_converters(connection)) for f in read_back],
    )


# The methods by which a field turns its attribute into what is written.
_PREPARING = ("pre_save", "get_prep_value", "get_db_prep_value", "get_db_prep_save", "to_python")


def _plain_types(field: Field) -> frozenset[type]:
    """The types of attribute value that `field` writes as they are, for which `Insert.sql`
    skips its pre_save and preparation (a few microseconds a column, most of a wide row's
    cost): None where the field's pre_save just reads the attribute and prepares None to
    NULL; str for text fields; bool for boolean ones; int for a key to an auto-incremented
    primary key. Exact types only (a TextChoices member, or a bool given for an int, takes
    the field's own way). Any field class that prepares in its own way gets none."""
    reads_attribute = not _defines(type(field), ("pre_save",), allowed=(Field,)) or (
        isinstance(field, DateField)
        and not _defines(type(field), ("pre_save",), allowed=(Field, DateField, DateTimeField))
        and not (field.auto_now or field.auto_now_add)
    )
    if not reads_attribute:
        return frozenset()
    types = {type(None)} if field.get_db_prep_save(None, connection) is None else set()
    for kinds, value_type in (((CharField, TextField), str), ((BooleanField,), bool)):
        if isinstance(field, kinds) and not _defines(
            type(field), _PREPARING, allowed=(Field, *kinds)
        ):
            types.add(value_type)
    if (
        isinstance(field, ForeignKey)
        and not _defines(type(field), _PREPARING, allowed=(Field, *ForeignKey.__mro__))
        and isinstance(field.target_field, AutoFieldMixin)
        and type(field.target_field).__module__ == "django.db.models.fields"
    ):
        types.add(int)  # the key as it is: AutoFieldMixin prepares an int to itself
    return frozenset(types)


def _defines(cls: type, names: Sequence[str], *, allowed: Sequence[type]) -> bool:
    """Whether a class in cls's MRO other than `allowed` defines one of `names`."""
    return any(
        name in vars(klass) for klass in cls.__mro__ if klass not in allowed for name in names
    )


def drawn_ids(**models: type[Model]) -> tuple[str, list[Any]]:
    """A query of one row, each column the next primary key of a model drawn from its table's
    sequence, named by its keyword: a WITH query of `write` that computed keys select from,
    for rows that refer to one another. A key drawn and not used (the statement failed)
    leaves a gap, as a rolled-back insert does."""
    quote = connection.ops.quote_name
    columns = [f"nextval({_sequence(m)}::regclass) AS {quote(name)}" for name, m in models.items()]
    return f"SELECT {', '.join(columns)}", []


@functools.cache
def _sequence(model: type[Model]) -> str:
    # The sequence's name as a literal, asked once per process: in the statement it is then
    # resolved when the statement is prepared, not looked up in the catalog each time.
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, model._meta.pk.column])
        (name,) = cursor.fetchone()
    return "'" + name.replace("'", "''") + "'"


def write(
    inserts: Sequence[Insert], *, before: Sequence[tuple[str, str, Sequence[Any]]] = ()
) -> None:
    """Run the inserts as one statement: `before`'s (name, SQL, params) first, as named WITH
    queries the inserts' computed values may read (e.g. a counter's upsert … RETURNING);
    every insert but the last a WITH query of its own, the last one the statement, whose
    RETURNING row carries what each insert reads back."""
    # The connection itself, once: through django.db.connection every use is a look-up.
    db = connections[DEFAULT_DB_ALIAS]
    quote = db.ops.quote_name
    parts, params, returning = [], [], []
    for name, sql, sql_params in before:
        parts.append(f"{quote(name)} AS ({sql})")
        params.extend(sql_params)
    for i, insert in enumerate(inserts[:-1]):
        sql, sql_params = insert.sql(db)
        parts.append(f'"_row{i}" AS ({sql})')
        params.extend(sql_params)
        returning += [f'(SELECT {column} FROM "_row{i}")' for column in insert.shape.returning]
    last = inserts[-1]
    last_sql, last_params = last.sql(db, returning)
    with_ = f"WITH {', '.join(parts)} " if parts else ""
    sql, params = with_ + last_sql, [*params, *last_params]
    db.ensure_connection()
    started = time.monotonic()
    # Django's cursors bind parameters on the client, so PostgreSQL would parse and plan the
    # statement anew every time; a cursor of psycopg's own binds them on the server and
    # prepares the statement once per connection and text, where the settings give psycopg a
    # prepare_threshold (renda/settings/base.py: Django's default, None, ignores `prepare`).
    # Behind PgBouncer in transaction mode, prepared statements need PgBouncer 1.21 or later
    # with max_prepared_statements, or RENDA_PG_PREPARE=0.
    with db.wrap_database_errors, psycopg.Cursor(db.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        row = list(cursor.fetchone() or ())
    if db.queries_logged:  # as Django's own cursors log, for DEBUG and CaptureQueriesContext
        db.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})
    for insert in inserts[-1:] + inserts[:-1]:
        insert.returned(row[: len(insert.shape.read_back)], db)
        row = row[len(insert.shape.read_back) :]
