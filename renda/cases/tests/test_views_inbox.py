"""The inbox (/cases/): scope per persona, tabs and counts, filters, bulk assignment and the
query budget."""

import re

import pytest

from renda.cases.models import Case
from renda.cases.services import case_supervise
from renda.cases.tests.helpers import accepted, assigned_to_town, at, category, submit, tier


def _codes(response) -> list[str]:
    return re.findall(r'<a href="/cases/([A-Z]{2}\d{4}-\d{6})/">', response.text)


def _count(response, tab: str) -> int:
    match = re.search(
        rf'data-testid="tab-{tab}">[^<]*<span class="badge[^"]*">(\d+)</span>', response.text
    )
    assert match, tab
    return int(match.group(1))


def _has_count(response, tab: str) -> bool:
    return re.search(rf'data-testid="tab-{tab}">[^<]*<span class="badge', response.text) is not None


def test_it_lists_the_town_clerks_cases_with_tab_counts(personas, login):
    new = submit(personas, title="新提交的事项")
    waiting = accepted(personas, title="等待交办的事项")
    response = login(personas.town_clerk).get("/cases/")
    assert response.status_code == 200
    assert set(_codes(response)) == {new.code, waiting.code}
    assert _count(response, "submitted") == 1
    assert _count(response, "accepted") == 1
    assert _count(response, "handling") == 0
    # The history tabs show no count: a city's would be its whole history.
    assert not _has_count(response, "all")
    assert not _has_count(response, "done")
    # The row shows what the clerk triages by.
    assert "城乡建设" in response.text
    assert "湖滨社区" in response.text
    assert "东湖街道人大工委" in response.text


def test_it_narrows_the_list_to_a_tab(personas, login):
    new = submit(personas, title="新提交的事项")
    waiting = accepted(personas, title="等待交办的事项")
    client = login(personas.town_clerk)
    assert _codes(client.get("/cases/?tab=submitted")) == [new.code]
    assert _codes(client.get("/cases/?tab=accepted")) == [waiting.code]
    assert _codes(client.get("/cases/?tab=nonsense")) == [waiting.code, new.code]


def test_it_shows_a_leader_the_cases_read_only(personas, login):
    waiting = accepted(personas)
    response = login(personas.leader).get("/cases/")
    assert response.status_code == 200
    assert _codes(response) == [waiting.code]
    # No bulk assignment: a leader does not assign.
    assert 'data-testid="bulk-assign"' not in response.text
    assert 'name="cases"' not in response.text


def test_it_never_lists_another_towns_cases(personas, login):
    submit(personas)
    accepted(personas)
    response = login(personas.other_town_clerk).get("/cases/")
    assert response.status_code == 200
    assert _codes(response) == []
    assert _count(response, "submitted") == 0
    assert _count(response, "accepted") == 0
    assert "湖滨路路灯不亮" not in response.text


def test_the_remembered_counts_follow_the_scope_the_filters_and_the_rows(personas, login):
    """The counts' SQL is remembered between requests (`inbox.tab_counts`): never another
    scope's or another filter's, and the figures are counted afresh on every page."""
    accepted(personas, title="东湖的事项")
    assert _count(login(personas.town_clerk).get("/cases/"), "accepted") == 1
    assert _count(login(personas.other_town_clerk).get("/cases/"), "accepted") == 0
    town = login(personas.town_clerk)
    other = category("环境保护")
    assert _count(town.get(f"/cases/?category={other.pk}"), "accepted") == 0
    accepted(personas, title="又一件", category=other)
    assert _count(town.get("/cases/"), "accepted") == 2
    assert _count(town.get(f"/cases/?category={other.pk}"), "accepted") == 1


def test_it_shows_a_handler_only_their_units_cases(personas, login, town_handler):
    mine = assigned_to_town(personas, title="交办街道的事项")
    submit(personas, title="尚未交办的事项")
    response = login(town_handler).get("/cases/")
    assert _codes(response) == [mine.code]
    assert _count(response, "assigned") == 1
    assert "东湖街道办事处" in response.text  # the lead unit column
    assert _codes(login(personas.unit_handler).get("/cases/")) == []


def test_it_shows_a_citizen_only_their_own(personas, login):
    own = submit(personas, title="我自己的意见")
    submit(
        personas,
        actor=None,
        title="别人的意见",
        submitter_name="王小明",
        submitter_phone="13812345678",
    )
    response = login(personas.citizen).get("/cases/")
    assert response.status_code == 200
    assert _codes(response) == [own.code]
    assert "别人的意见" not in response.text


def test_it_is_empty_not_an_error_for_a_deputy_without_cases(personas, login):
    submit(personas)
    response = login(personas.deputy).get("/cases/")
    assert response.status_code == 200
    assert "没有符合条件的事项" in response.text


def test_it_sends_anonymous_users_to_login(client, personas):
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_marks_cases_due_soon_and_overdue(personas, login, clock):
    urgent = assigned_to_town(personas, urgency="紧急", title="紧急事项")  # due 2026-09-16
    relaxed = assigned_to_town(personas, urgency="一般", title="一般事项")
    client = login(personas.town_clerk)
    response = client.get("/cases/")
    assert _count(response, "due_soon") == 1
    assert _codes(client.get("/cases/?tab=due_soon")) == [urgent.code]
    assert 'data-testid="overdue"' not in response.text

    clock.move_to(at(2026, 9, 18))
    client = login(personas.town_clerk)  # the idle session has expired meanwhile
    response = client.get("/cases/?tab=overdue")
    assert _count(response, "overdue") == 1
    assert _codes(response) == [urgent.code]
    assert 'data-testid="overdue"' in response.text  # the deadline in red
    assert relaxed.code not in _codes(response)


def test_it_filters_and_searches(personas, login):
    lamp = submit(personas, title="湖滨路路灯不亮")
    river = submit(personas, title="河道垃圾无人清理", category=category("环境保护"))
    hotline = submit(
        personas,
        actor=None,
        title="热线反映噪音扰民",
        channel=Case.Channel.HOTLINE,
        submitter_name="王小明",
        submitter_phone="13812345678",
    )
    client = login(personas.town_clerk)
    assert _codes(client.get("/cases/?q=河道")) == [river.code]
    assert _codes(client.get(f"/cases/?q={lamp.code}")) == [lamp.code]
    assert _codes(client.get(f"/cases/?q={lamp.code.lower()}")) == [lamp.code]
    env = category("环境保护").pk
    assert _codes(client.get(f"/cases/?category={env}")) == [river.code]
    assert _codes(client.get("/cases/?channel=hotline")) == [hotline.code]
    assert _codes(client.get("/cases/?date_from=2026-09-16")) == []
    assert len(_codes(client.get("/cases/?date_from=2026-09-15&date_to=2026-09-15"))) == 3
    town = personas.regions["town"].pk
    assert len(_codes(client.get(f"/cases/?region={town}"))) == 3
    watched = accepted(personas, title="督办事项")
    case_supervise(
        case=watched, actor=personas.town_clerk, version=watched.version, level="supervised"
    )
    response = client.get("/cases/?supervision=supervised")
    assert _codes(response) == [watched.code]
    assert '<span class="badge text-bg-warning">督办</span>' in response.text
    assert _codes(client.get("/cases/?supervision=key")) == []


def test_it_reports_bad_filters_in_chinese_and_ignores_them(personas, login):
    lamp = submit(personas)
    client = login(personas.town_clerk)
    response = client.get("/cases/?date_from=not-a-date&category=99999&channel=fax")
    assert response.status_code == 200
    assert "请输入有效的日期" in response.text
    assert "所选分类不在可选范围内" in response.text
    assert "请选择有效的来源渠道" in response.text
    assert _codes(response) == [lamp.code]
    response = client.get("/cases/?date_from=2026-09-20&date_to=2026-09-01")
    assert "结束日期不能早于开始日期" in response.text


def test_it_offers_only_towns_in_scope_as_regions(personas, login):
    response = login(personas.county_clerk).get("/cases/")
    assert "东湖街道" in response.text and "南湖镇" in response.text
    assert "西山镇" not in response.text
    # A handler reaches cases, not regions: no region filter.
    response = login(personas.unit_handler).get("/cases/")
    assert 'name="region"' not in response.text


def test_it_escapes_html_in_titles(personas, login):
    submit(personas, title="<script>alert('x')</script>路灯")
    response = login(personas.town_clerk).get("/cases/")
    assert "<script>alert" not in response.text
    assert "&lt;script&gt;alert" in response.text


def test_it_paginates_by_fifty(personas, login, monkeypatch):
    monkeypatch.setattr("renda.cases.views.PAGE_SIZE", 2)
    for n in range(3):
        submit(personas, title=f"事项{n}")
    client = login(personas.town_clerk)
    assert len(_codes(client.get("/cases/?tab=submitted"))) == 2
    second = client.get("/cases/?tab=submitted&page=2")
    assert len(_codes(second)) == 1
    assert "第 2 / 2 页，共 3 条" in second.text
    # 全部 is not counted: its pages say only whether more follow.
    first = client.get("/cases/")
    assert len(_codes(first)) == 2
    assert "第 1 页" in first.text and 'page=2">下一页' in first.text
    second = client.get("/cases/?page=2")
    assert len(_codes(second)) == 1
    assert "第 2 页" in second.text and "下一页" not in second.text
    assert _codes(client.get("/cases/?page=99")) == _codes(first)  # past the end: page 1
    assert len(_codes(client.get("/cases/?page=x"))) == 2


def test_it_lists_in_a_fixed_number_of_queries(personas, login, django_assert_max_num_queries):
    assigned_to_town(personas)
    accepted(personas)
    client = login(personas.town_clerk)
    client.get("/cases/")  # warm the session
    # session, user, memberships, installation, the work calendar (for 即将超期); the tab
    # counts (one query, each capped); the page of rows with the lead unit as a subquery; the
    # filter choices (categories, towns, tiers); the bulk form's choices (units, tiers); the
    # session's sliding expiry (savepoint, update, release).
    with django_assert_max_num_queries(15) as few:
        client.get("/cases/")
    for n in range(29):
        accepted(personas, title=f"事项{n}")
    with django_assert_max_num_queries(15) as many:
        response = client.get("/cases/")
    assert len(_codes(response)) == 31
    assert len(many.captured_queries) == len(few.captured_queries)


# --- bulk assignment ------------------------------------------------------------------------


def _bulk(personas, cases, *, versions=None, **fields):
    data = {
        "cases": [c.code for c in cases],
        "lead_unit": personas.units["town_gov"].pk,
        "urgency": tier("一般").pk,
        "note": "请尽快办理",
    }
    for c in cases:
        data[f"version_{c.code}"] = (versions or {}).get(c.code, c.version)
    data.update(fields)
    return data


def test_it_assigns_several_cases_in_one_post(personas, login):
    first, second = accepted(personas, title="一"), accepted(personas, title="二")
    client = login(personas.town_clerk)
    listing = client.get("/cases/?tab=accepted")
    assert f'name="version_{first.code}" value="{first.version}"' in listing.text
    response = client.post("/cases/?tab=accepted", _bulk(personas, [first, second]), follow=True)
    assert response.redirect_chain[-1][0] == "/cases/?tab=accepted"
    assert "已交办 2 件" in response.text
    for case in (first, second):
        case.refresh_from_db()
        assert case.state == Case.State.ASSIGNED
        assert case.assignments.get().unit == personas.units["town_gov"]
        assert case.events.last().note == "请尽快办理"


def test_it_assigns_the_others_when_one_case_fails(personas, login):
    good = accepted(personas, title="正常事项")
    stale = accepted(personas, title="已被他人改动")
    new = submit(personas, title="尚未受理")
    client = login(personas.town_clerk)
    data = _bulk(personas, [good, stale, new], versions={stale.code: stale.version - 1})
    response = client.post("/cases/", data, follow=True)
    text = response.text
    assert "已交办 1 件，2 件未能交办" in text
    assert f"{stale.code}：该事项已被他人处理" in text
    assert f"{new.code}：该事项当前状态为“待受理”，不能交办。" in text
    good.refresh_from_db()
    stale.refresh_from_db()
    new.refresh_from_db()
    assert good.state == Case.State.ASSIGNED
    assert stale.state == Case.State.ACCEPTED
    assert new.state == Case.State.SUBMITTED


def test_it_reports_cases_out_of_scope_in_a_bulk_post(personas, login):
    good = accepted(personas)
    client = login(personas.town_clerk)
    data = _bulk(personas, [good])
    data["cases"] = [good.code, "MQ2026-999999"]
    data["version_MQ2026-999999"] = "1"
    response = client.post("/cases/", data, follow=True)
    assert "已交办 1 件，1 件未能交办：MQ2026-999999：未找到该事项" in response.text


def test_it_refuses_a_bulk_post_without_unit_or_cases_and_changes_nothing(personas, login):
    case = accepted(personas)
    client = login(personas.town_clerk)
    response = client.post("/cases/", _bulk(personas, [case], lead_unit="", urgency=""))
    assert response.status_code == 400
    assert "请选择主办单位。" in response.text
    assert "请选择办理时限。" in response.text
    response = client.post("/cases/", _bulk(personas, [], lead_unit=""))
    assert "请勾选要交办的事项。" in response.text
    # A unit outside the congress's jurisdiction is not offered, and not accepted.
    other = personas.units["other_town_gov"].pk
    response = client.post("/cases/", _bulk(personas, [case], lead_unit=other))
    assert response.status_code == 400
    assert "所选主办单位不在可选范围内" in response.text
    case.refresh_from_db()
    assert case.state == Case.State.ACCEPTED


@pytest.mark.parametrize("persona", ["leader", "citizen", "unit_handler"])
def test_it_refuses_bulk_assignment_to_non_clerks(personas, login, persona):
    case = accepted(personas)
    response = login(personas.users[persona]).post("/cases/", _bulk(personas, [case]))
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.state == Case.State.ACCEPTED


def test_it_caps_the_counts_and_lists_only_the_newest(personas, login, monkeypatch):
    monkeypatch.setattr("renda.cases.inbox.COUNT_CAP", 3)
    monkeypatch.setattr("renda.cases.views.PAGE_SIZE", 2)
    cases = [accepted(personas, title=f"事项{n}") for n in range(4)]
    client = login(personas.town_clerk)
    response = client.get("/cases/?tab=accepted")
    assert re.search(
        r'data-testid="tab-accepted">[^<]*<span class="badge[^"]*">2\+</span>', response.text
    )
    assert _count(response, "submitted") == 0
    # Past the cap the list shows the newest rows and asks for filters.
    assert 'data-testid="inbox-capped"' in response.text
    newest = [c.code for c in reversed(cases)]
    assert _codes(response) == newest[:2]
    assert _codes(client.get("/cases/?tab=accepted&page=2")) == newest[2:3]
    # 全部 likewise stops at the cap: one page of 2 (3 // 2), then the note.
    response = client.get("/cases/")
    assert _codes(response) == newest[:2]
    assert "下一页" not in response.text
    assert 'data-testid="inbox-capped"' in response.text
    # Filters bring the rest back under the cap.
    response = client.get(f"/cases/?tab=accepted&q={cases[0].code}")
    assert _codes(response) == [cases[0].code]
    assert 'data-testid="inbox-capped"' not in response.text
    assert _count(response, "accepted") == 1


def test_running_deadline_is_the_deadline_while_a_unit_works_on_the_case(personas):
    case = assigned_to_town(personas)
    assert Case.objects.get(pk=case.pk).running_deadline == case.deadline is not None
    Case.objects.filter(pk=case.pk).update(state=Case.State.REPLIED)
    assert Case.objects.get(pk=case.pk).running_deadline is None


def test_the_counts_by_disjoint_parts_of_the_scope_are_the_counts(personas):
    """PostgreSQL counts a tab part by part of the scope (`inbox.tab_counts`); whatever the
    database, the parts' sums are the counts of the whole scope: a case in the town's regions,
    one owned by its congress from outside them, and one that is both count once each; a
    case of another town not at all."""
    from renda.cases import inbox

    accepted(personas, title="镇内")
    outside = accepted(personas, title="镇外，街道人大工委办理")
    Case.objects.filter(pk=outside.pk).update(region=personas.regions["other_village"])
    accepted(personas, title="另一件镇内")
    other_town = accepted(personas, title="另一乡镇")
    Case.objects.filter(pk=other_town.pk).update(
        region=personas.regions["other_village"], congress=personas.units["other_town"]
    )
    user = personas.town_clerk
    tabs = inbox.inbox_tabs()
    filters = {t.key: t.q for t in tabs if t.counted}
    whole = inbox.capped_counts(inbox.inbox_cases(user), filters)
    parts = inbox.disjoint_scope(user)
    assert len(parts) >= 2
    by_parts = {
        key: sum(inbox.capped_counts(Case.objects.all(), {key: q & part})[key] for part in parts)
        for key, q in filters.items()
    }
    assert (
        whole
        == by_parts
        == inbox.tab_counts(user, tabs, inbox.inbox_cases(user), lambda qs: qs, ())
    )
    assert whole["accepted"] == 3
