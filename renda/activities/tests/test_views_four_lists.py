"""四张清单: the page per campaign, station, region and period, and its Excel export."""

import io

import pytest
from openpyxl import load_workbook

from renda.activities.models import ActivityCase
from renda.activities.services import activity_cancel, activity_link_case, activity_raise_case
from renda.activities.tests.helpers import campaign, days, station_activity
from renda.cases.models import Case, Category


def _raise(personas, activity, nature, title):
    return activity_raise_case(
        actor=personas.station_clerk,
        activity=activity,
        nature=nature,
        title=title,
        content=f"{title}的详细情况",
        category=Category.objects.get(name="城乡建设"),
        raised_by=personas.deputies["deputy"],
    )


@pytest.fixture
def lists(personas):
    six = campaign(personas)
    activity = station_activity(personas, title="六访六促走访", campaign=six)
    other = station_activity(personas, title="平常走访", when=-40)
    problem = _raise(personas, activity, ActivityCase.Nature.PROBLEM, "路灯不亮")
    suggestion = _raise(personas, activity, ActivityCase.Nature.SUGGESTION, "增设公交站")
    # The problem was solved.
    Case.objects.filter(pk=problem.case_id).update(
        state=Case.State.CLOSED,
        result_class=Case.ResultClass.SOLVED,
        reply="已更换路灯",
        closed_at="2026-01-01T00:00:00Z",
    )
    return six, activity, other, problem, suggestion


def test_the_four_lists_of_a_campaign(personas, login, lists):
    six, activity, _other, problem, suggestion = lists
    response = login(personas.town_clerk).get("/activities/lists/", {"campaign": six.pk})
    assert response.status_code == 200
    text = response.text
    assert f'href="/activities/{activity.pk}/"' in text
    assert "平常走访" not in text
    assert f'href="/cases/{problem.case.code}/"' in text
    assert f'href="/cases/{suggestion.case.code}/"' in text
    assert "已更换路灯" in text
    assert 'data-testid="tab-results">成果清单 <span class="badge text-bg-light">1<' in text


def test_filters_by_station_region_and_period(personas, login, lists):
    _six, _activity, _other, *_ = lists
    client = login(personas.county_clerk)
    everything = client.get("/activities/lists/").text
    assert "平常走访" in everything and "六访六促走访" in everything
    recent = client.get("/activities/lists/", {"start": days(-7).isoformat()}).text
    assert "平常走访" not in recent and "六访六促走访" in recent
    by_station = client.get("/activities/lists/", {"station": personas.stations["town"].pk}).text
    assert "六访六促走访" in by_station
    by_region = client.get("/activities/lists/", {"region": personas.regions["town2"].pk}).text
    assert "六访六促走访" not in by_region
    bad = client.get(
        "/activities/lists/", {"start": days(0).isoformat(), "end": days(-5).isoformat()}
    )
    assert bad.status_code == 200 and "结束日期不能早于开始日期" in bad.text


def test_a_cancelled_activitys_cases_leave_the_lists(personas, login, lists):
    """The lists read the cancellation on the link's own copy (`activity_cancelled`)."""
    six, _activity, _other, problem, _suggestion = lists
    planned = station_activity(personas, title="计划走访", when=5, attended=(), campaign=six)
    ActivityCase.objects.filter(pk=problem.pk).delete()
    linked = activity_link_case(
        actor=personas.station_clerk,
        activity=planned,
        case=problem.case,
        nature=ActivityCase.Nature.PROBLEM,
    )
    client = login(personas.county_clerk)
    before = client.get("/activities/lists/", {"campaign": six.pk}).text
    assert f'href="/cases/{linked.case.code}/"' in before
    assert 'data-testid="tab-problems">问题清单 <span class="badge text-bg-light">1<' in before
    activity_cancel(actor=personas.station_clerk, activity=planned)
    after = client.get("/activities/lists/", {"campaign": six.pk}).text
    assert f'href="/cases/{linked.case.code}/"' not in after and "计划走访" not in after
    assert 'data-testid="tab-problems">问题清单 <span class="badge text-bg-light">0<' in after


@pytest.mark.parametrize("name", ["other_town_clerk", "other_county_clerk"])
def test_another_towns_clerk_sees_empty_lists(personas, login, lists, name):
    response = login(getattr(personas, name)).get("/activities/lists/")
    assert response.status_code == 200
    assert "六访六促走访" not in response.text and "路灯不亮" not in response.text


@pytest.mark.parametrize("name", ["deputy", "citizen", "unit_handler"])
def test_roles_without_reach_get_403(personas, login, name):
    assert login(getattr(personas, name)).get("/activities/lists/").status_code == 403


def test_the_export_has_four_sheets_with_links(personas, login, lists):
    six, activity, _other, problem, suggestion = lists
    response = login(personas.town_clerk).get("/activities/lists/export/", {"campaign": six.pk})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["工作清单", "问题清单", "建议清单", "成果清单"]
    work = list(book["工作清单"].values)
    assert work[1][1] == "六访六促走访" and work[1][-1].endswith(f"/activities/{activity.pk}/")
    assert len(work) == 2
    assert list(book["问题清单"].values)[1][0] == problem.case.code
    assert list(book["建议清单"].values)[1][0] == suggestion.case.code
    result = list(book["成果清单"].values)[1]
    assert result[0] == problem.case.code and "已更换路灯" in result
    assert "attachment" in response["Content-Disposition"]


def test_the_page_keeps_its_query_count(personas, login, lists, django_assert_max_num_queries):
    client = login(personas.town_clerk)
    client.get("/activities/lists/")
    # session, user, memberships, installation, form choices rendered (campaigns, stations,
    # regions), two counts (activities; the three case lists together), the work list, the
    # three case lists' pages of ids and then their rows by id (see _case_tables); a session
    # save adds three.
    with django_assert_max_num_queries(17):
        client.get("/activities/lists/")


@pytest.mark.parametrize("text", ["", "已修复路灯", "e\u0301" * 3, "修" * 80, "修" * 81 + "好"])
def test_a_reply_is_shortened_as_truncator_does(text):
    from django.utils.text import Truncator

    from renda.activities.lists_views import _shortened

    assert _shortened(text) == Truncator(text).chars(80)


def test_each_list_shows_its_newest_rows_in_order(personas, login, monkeypatch):
    """Each case list's page is its newest links (by the activity's date, then the newest
    link), cut at PAGE_ROWS; the counts still count them all."""
    from renda.activities import lists_views

    six = campaign(personas)
    older = station_activity(personas, title="较早走访", when=-20, campaign=six)
    newer = station_activity(personas, title="较近走访", when=-2, campaign=six)
    first = _raise(personas, newer, ActivityCase.Nature.PROBLEM, "问题甲")
    second = _raise(personas, newer, ActivityCase.Nature.PROBLEM, "问题乙")
    old = _raise(personas, older, ActivityCase.Nature.PROBLEM, "问题丙")
    advice = _raise(personas, older, ActivityCase.Nature.SUGGESTION, "建议丁")
    client = login(personas.town_clerk)
    text = client.get("/activities/lists/", {"campaign": six.pk}).text
    codes = [first.case.code, second.case.code, old.case.code]
    where = [text.index(f'href="/cases/{code}/"') for code in codes]
    # Same activity date: the newer link first; then the older activity's.
    assert where[1] < where[0] < where[2]
    assert f'href="/cases/{advice.case.code}/"' in text
    monkeypatch.setattr(lists_views, "PAGE_ROWS", 2)
    cut = client.get("/activities/lists/", {"campaign": six.pk}).text
    assert f'href="/cases/{old.case.code}/"' not in cut
    assert f'href="/cases/{second.case.code}/"' in cut
    assert f'href="/cases/{first.case.code}/"' in cut
    assert f'href="/cases/{advice.case.code}/"' in cut
    assert 'data-testid="tab-problems">问题清单 <span class="badge text-bg-light">3<' in cut
