"""The case tables' indexes as the migrations leave them: what a new submission writes."""

import pytest
from django.db import connection

from renda.cases.models import Case, CaseEvent


def _indexes(model) -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {name: c["columns"] for name, c in found.items() if c["index"] and not c["primary_key"]}


@pytest.mark.django_db
def test_the_foreign_keys_have_no_index_of_their_own():
    """0012 and 0013 dropped them by name: a column covered by a composite index, or sparse
    and indexed by a partial one, has no plain one-column index left."""
    cases = _indexes(Case)
    single = {tuple(columns) for columns in cases.values() if len(columns) == 1}
    for column in ("region_id", "congress_id", "submitter_id"):
        assert (column,) not in single
    for name in ("grid", "collected_by", "urgency", "merged_into", "lead_leader"):
        assert cases[f"case_{name}"] == [f"{name}_id"]
    assert sum(1 for columns in cases.values() if columns == ["grid_id"]) == 1
    assert ("category_id",) in single  # most filters name a category: kept
    events = _indexes(CaseEvent)
    assert ["case_id"] not in events.values()
    assert events["caseevent_case_created"] == ["case_id", "created_at"]
    assert [columns for columns in events.values() if columns == ["actor_id"]] == [["actor_id"]]
