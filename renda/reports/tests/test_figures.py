"""The figures' definitions on a scripted month, and the roll-up's query budget."""

import pytest
from django.core.exceptions import ValidationError

from renda.reports import figures as F
from renda.reports.tests.helpers import EXPECTED, SEPTEMBER

pytestmark = pytest.mark.django_db


def _units(personas):
    return {
        code: personas.units[key]
        for key, code in [
            ("town", "T1-GW"),
            ("county", "D1-RD"),
            ("other_town", "T3-ZXT"),
            ("other_county", "D2-RD"),
        ]
    }


def test_it_counts_each_figure_per_unit_for_the_month(personas, september):
    for code, unit in _units(personas).items():
        figures = F.figures_for_unit(unit, SEPTEMBER)
        assert {k: figures[k] for k in EXPECTED[code]} == EXPECTED[code], code


def test_it_splits_activities_into_the_four_kinds(personas, september):
    town = F.figures_for_unit(personas.units["town"], SEPTEMBER)
    assert (town["inspection"], town["research"], town["forum"], town["contact"]) == (0, 1, 0, 2)
    county = F.figures_for_unit(personas.units["county"], SEPTEMBER)
    assert county["inspection"] == 1


def test_the_roll_up_of_every_unit_is_a_few_queries(personas, september, django_assert_num_queries):
    units = list(F.reporting_units())
    assert {u.code for u in units} == {"D1-RD", "D2-RD", "T1-GW", "T3-ZXT"}
    # regions, activities by kind, attendances, collected, solved, city congresses, escalations
    with django_assert_num_queries(7):
        result = F.rollup(SEPTEMBER, [u.region.path for u in units])
    for unit in units:
        assert {k: result[unit.region.path][k] for k in EXPECTED[unit.code]} == EXPECTED[unit.code]


def test_other_months_count_nothing_of_september(personas, september):
    october = F.figures_for_unit(personas.units["county"], F.Month(2026, 10))
    assert all(v == 0 for v in october.values())
    august = F.figures_for_unit(personas.units["town"], F.Month(2026, 8))
    assert august["collected"] == 1


@pytest.mark.parametrize("text", ["2026-13", "2026/09", "abc", "", "1999-01"])
def test_a_bad_month_is_refused_in_chinese(text):
    with pytest.raises(ValidationError, match="不是有效的月份"):
        F.Month.parse(text)


def test_every_figure_has_a_definition():
    assert [f.key for f in F.FIGURES] == [
        "activities",
        "attendances",
        "collected",
        "solved",
        "escalated",
    ]
    assert all(f.definition for f in F.FIGURES)
