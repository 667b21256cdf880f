"""case_submit: codes, routing to the congress of the place, validation and idempotency."""

import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from renda.cases.models import Case, CaseEvent
from renda.cases.services import CaseActionNotAllowed
from renda.cases.tests.helpers import at, submit


def test_it_gives_a_code_people_can_read_aloud(personas):
    case = submit(personas)
    assert re.fullmatch(r"MQ2026-\d{6}", case.code)
    assert case.code == "MQ2026-000001"
    assert submit(personas).code == "MQ2026-000002"


def test_it_numbers_each_kind_and_year_on_its_own(personas):
    assert submit(personas, kind=Case.Kind.SUGGESTION).code == "JY2026-000001"
    assert submit(personas).code == "MQ2026-000001"
    with time_machine.travel(at(2026, 12, 31, 23), tick=False):
        assert submit(personas).code == "MQ2026-000002"
    with time_machine.travel(at(2027, 1, 1, 0), tick=False):
        assert submit(personas).code == "MQ2027-000001"
        assert submit(personas, kind=Case.Kind.MOTION).code == "YA2027-000001"


def test_it_routes_a_case_to_the_congress_of_its_place(personas):
    village_case = submit(personas)
    assert village_case.congress == personas.units["town"]  # 东湖街道人大工委
    # 南湖镇 has no congress body of its own here: the county's takes it in.
    county_case = submit(personas, region=personas.regions["town2"], grid=None)
    assert county_case.congress == personas.units["county"]


def test_it_records_the_submission_as_the_first_event(personas):
    case = submit(personas)
    event = case.events.get()
    assert (event.action, event.from_state, event.to_state) == ("submit", "", "submitted")
    assert event.actor == personas.citizen
    assert case.state == Case.State.SUBMITTED and case.version == 1
    assert case.submitter == personas.citizen


def test_it_takes_an_anonymous_case_with_name_and_mobile(personas):
    case = submit(personas, actor=None, submitter_name="王先生", submitter_phone="138 0013 8000")
    assert case.submitter is None
    assert case.submitter_phone == "13800138000"
    assert case.events.get().actor is None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": "  "}, "请填写标题"),
        ({"title": "长" * 101}, "标题不能超过100字"),
        ({"content": ""}, "请填写内容"),
        ({"content": "字" * 5001}, "内容不能超过5000字"),
        ({"actor": None, "submitter_name": "王先生"}, "请填写手机号码"),
        (
            {"actor": None, "submitter_name": "王先生", "submitter_phone": "12345678901"},
            "11位手机号码",
        ),
        ({"actor": None, "submitter_phone": "13800138000"}, "请填写姓名"),
        ({"latitude": "95", "longitude": "120"}, "纬度应在 -90 到 90 之间"),
        ({"latitude": "30", "longitude": "-181"}, "经度应在 -180 到 180 之间"),
        ({"latitude": "北纬30度", "longitude": "120"}, "纬度必须是数字"),
        ({"latitude": "30"}, "经纬度须同时填写"),
    ],
)
def test_it_refuses_bad_input_in_chinese(personas, overrides, message):
    with pytest.raises(ValidationError) as error:
        submit(personas, **overrides)
    assert message in str(error.value)
    assert not Case.objects.exists()


def test_it_refuses_a_grid_outside_the_region(personas):
    with pytest.raises(ValidationError, match="不在"):
        submit(personas, grid=personas.grids["other_town"])


def test_it_keeps_coordinates_in_range_in_the_database(personas):
    case = submit(personas, latitude="29.1", longitude="121.4")
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(latitude=91)


def test_it_creates_one_case_for_a_retried_submission(personas):
    first = submit(personas, idempotency_key="3f6c2b1e-retry")
    again = submit(personas, idempotency_key="3f6c2b1e-retry")
    assert again.pk == first.pk
    assert Case.objects.count() == 1
    assert CaseEvent.objects.count() == 1
    # A new key is a new case, and takes the next number: the retry used none.
    assert submit(personas, idempotency_key="another").code == "MQ2026-000002"


def test_it_refuses_someone_elses_idempotency_key(personas):
    submit(personas, idempotency_key="shared-key")
    with pytest.raises(ValidationError, match="提交标识已被使用"):
        submit(personas, actor=personas.deputy, idempotency_key="shared-key")


def test_it_records_a_voters_words_collected_by_a_deputy(personas):
    deputy = personas.deputies["deputy"]
    case = submit(
        personas,
        actor=personas.deputy,
        channel=Case.Channel.DEPUTY,
        collected_by=deputy,
        submitter_name="赵大爷",
    )
    assert case.submitter is None and case.collected_by == deputy
    with pytest.raises(CaseActionNotAllowed, match="本人身份"):
        submit(personas, actor=personas.deputy, collected_by=personas.deputies["other"])


def test_it_lets_a_station_clerk_record_a_reception_day_case(personas):
    case = submit(
        personas,
        actor=personas.station_clerk,
        channel=Case.Channel.RECEPTION_DAY,
        submitter_name="陈女士",
        submitter_phone="13900139000",
    )
    assert case.submitter is None
    assert case.events.get().actor == personas.station_clerk


def test_it_refuses_intake_from_a_handling_unit(personas):
    with pytest.raises(CaseActionNotAllowed, match="无权"):
        submit(personas, actor=personas.unit_handler)


def test_it_checks_before_the_transaction_and_writes_the_code_in_the_insert(personas):
    """Intake's own statements: the checks first (reads only), then the counter (locked from
    there to the commit), the insert that carries the code, and the event; the case row is
    written once. No query asks the database about rows in hand (foreign keys, constraints)
    while the counter is locked, and the region's congress, looked up for the first case,
    is remembered (renda.lib.memo) for the second. On PostgreSQL the writes are one statement
    (renda.lib.insert)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    submit(personas)  # the year's counter exists
    with CaptureQueriesContext(connection) as queries:
        case = submit(personas, title="第二件")
    own = [
        q["sql"]
        for q in queries.captured_queries
        if re.search(r'"(cases_\w+|org_orgunit)"', q["sql"])
    ]
    assert not any('"org_orgunit"' in sql for sql in own)  # congress_for_region remembered
    if connection.vendor == "postgresql":
        *before, write = own
        assert write.startswith('WITH "ids" AS (SELECT nextval(')
        assert '"number" AS (INSERT INTO "cases_codecounter"' in write
        assert 'INSERT INTO "cases_caseevent"' in write
        assert re.search(
            r'\) INSERT INTO "cases_case" \(.*RETURNING "running_deadline", "id", "code"', write
        )
    else:
        begin = next(
            i for i, sql in enumerate(own) if sql.startswith('INSERT INTO "cases_codecounter"')
        )
        before, inside = own[:begin], own[begin:]
        kinds = [sql.split(" (")[0].split(" SET")[0] for sql in inside]
        assert kinds == [
            'INSERT INTO "cases_codecounter"',
            'INSERT INTO "cases_case"',
            'INSERT INTO "cases_caseevent"',
        ]
    assert all(sql.startswith("SELECT") for sql in before)
    case.refresh_from_db()
    assert case.code == "MQ2026-000002"
