"""/triage/<code>/: who may open it, what it shows, and how many queries it costs."""

import pytest
from django.urls import reverse

from renda.cases.tests.helpers import accepted, submit
from renda.triage.duplicates import duplicate_index_add
from renda.triage.models import TrainedModel
from renda.triage.tests.helpers import history, town_units
from renda.triage.tests.test_duplicates import COPY, ORIGINAL
from renda.triage.training import classifier_train, models_root, unit_model_train


def _url(case) -> str:
    return reverse("triage:page", args=[case.code])


@pytest.fixture
def case(personas):
    return submit(personas, **COPY)


@pytest.mark.parametrize("persona", ["town_clerk", "county_clerk", "city_clerk", "admin"])
def test_clerks_of_the_congress_and_above_open_it(personas, login, case, persona):
    response = login(personas.users[persona]).get(_url(case))
    assert response.status_code == 200
    page = response.content.decode()
    assert "智能分办" in page and case.title in page
    # No model trained yet: triage still works, and says why there are no suggestions.
    assert "尚未训练分类模型" in page and "尚未训练承办单位模型" in page
    assert "未发现疑似重复事项" in page


@pytest.mark.parametrize(
    "persona", ["other_town_clerk", "other_county_clerk", "unit_handler", "deputy"]
)
def test_outsiders_get_404(personas, login, case, persona):
    assert login(personas.users[persona]).get(_url(case)).status_code == 404


@pytest.mark.parametrize("persona", ["leader", "station_clerk", "citizen"])
def test_readers_who_do_not_triage_get_403(personas, login, case, persona):
    # The leader and the station see the case in their scope, the citizen raised it: none of
    # them accepts or assigns.
    response = login(personas.users[persona]).get(_url(case))
    assert response.status_code == 403
    assert "无权分办" in response.content.decode()


def test_anonymous_users_are_sent_to_log_in(client, case):
    response = client.get(_url(case))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_case_past_triage_is_refused(personas, login):
    from renda.cases.tests.helpers import assigned_to_town

    case = assigned_to_town(personas)
    response = login(personas.town_clerk).get(_url(case))
    assert response.status_code == 403


@pytest.mark.parametrize("copies", [1, 3])
def test_it_shows_suggestions_and_duplicates_in_a_fixed_number_of_queries(
    personas, login, django_assert_num_queries, copies
):
    units = town_units(personas)
    history(personas, units, per_category=10)
    classifier_train(min_per_category=10)
    unit_model_train(min_assignments=20)
    original = accepted(personas, **ORIGINAL)
    duplicate_index_add(case=original)
    for _ in range(copies - 1):
        duplicate_index_add(case=submit(personas, **ORIGINAL))
    case = submit(personas, **COPY)
    client = login(personas.town_clerk)
    client.get(_url(case))  # the models load once per process
    # session, user, memberships (scope); the case; its lead assignment (allowed actions);
    # the congress's region and its assignable units; urgency tiers; the category model row
    # and the suggested categories; the unit model row; the duplicate candidates with their
    # signatures (one query, however many). The layout's installation is remembered
    # (renda.lib.memo).
    with django_assert_num_queries(12):
        response = client.get(_url(case))
    assert response.status_code == 200
    page = response.content.decode()
    suggestions = response.context["categories"]
    assert suggestions.items[0].label == "城乡建设"
    assert len(suggestions.items) == 3
    assert response.context["units"].items[0].target == units["town_gov"]
    assert 0.34 < response.context["units"].items[0].score <= 1
    assert "采用并受理" in page and "受理并交办" in page
    duplicates = response.context["duplicates"]
    assert len(duplicates) == copies and duplicates[0].case == original
    assert all(d.can_merge for d in duplicates)
    assert original.code in page and "合并至此事项" in page


def test_a_low_score_is_marked_unsure(personas, login):
    history(personas, town_units(personas), per_category=10, assign=False)
    classifier_train(min_per_category=10)
    case = submit(personas, title="意见", content="有个事情想反映一下。")
    response = login(personas.town_clerk).get(_url(case))
    assert response.context["categories"].unsure
    assert "不确定" in response.content.decode()


def test_a_corrupt_model_leaves_triage_working(personas, login, case):
    history(personas, town_units(personas), per_category=10, assign=False)
    row = classifier_train(min_per_category=10).row
    (models_root() / row.directory / "metadata.json").write_text("{")
    response = login(personas.town_clerk).get(_url(case))
    assert response.status_code == 200
    assert "分类模型文件缺失或已损坏" in response.content.decode()
    assert TrainedModel.objects.count() == 1
