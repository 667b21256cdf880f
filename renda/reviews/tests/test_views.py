"""The review-opinion pages per persona: list, create, detail, issue, export."""

import datetime as dt
import io

import pytest
from auditlog.models import LogEntry
from openpyxl import load_workbook

from renda.cases.models import Case
from renda.cases.services import case_reply, case_sign
from renda.reviews.models import ReviewOpinion
from renda.reviews.services import ItemInput
from renda.reviews.tests.helpers import category, make_opinion, town_units

pytestmark = pytest.mark.django_db

# Who sees an opinion of 东湖街道人大工委 (the unit's handler sees it once an item is theirs).
SEES = {"admin", "city_clerk", "county_clerk", "town_clerk", "leader", "town_handler"}
HIDDEN = {"other_town_clerk", "other_county_clerk", "unit_handler", "station_clerk"}
REFUSED = {"deputy", "citizen"}


def _users(personas):
    _, _, handler = town_units(personas)
    return {**personas.users, "town_handler": handler}


@pytest.mark.parametrize("name", sorted(SEES | HIDDEN | REFUSED))
def test_it_scopes_the_list_detail_and_export(personas, login, name):
    users = _users(personas)
    opinion = make_opinion(personas)
    client = login(users[name])
    listing = client.get("/reviews/")
    detail = client.get(f"/reviews/{opinion.pk}/")
    export = client.get(f"/reviews/{opinion.pk}/export/")
    if name in SEES:
        assert listing.status_code == detail.status_code == export.status_code == 200
        assert opinion.title in listing.text
        assert "加快淘汰建成区燃煤锅炉" in detail.text
    elif name in HIDDEN:
        assert listing.status_code == 200 and opinion.title not in listing.text
        assert detail.status_code == export.status_code == 404
    else:
        assert listing.status_code == detail.status_code == export.status_code == 403


def test_a_town_clerk_sees_only_their_congress(personas, login):
    gov = personas.units["other_town_gov"]
    theirs = make_opinion(
        personas,
        actor=personas.other_town_clerk,
        congress=personas.units["other_town"],
        items=[ItemInput("西山类", "西山镇的问题", gov, 10)],
    )
    ours = make_opinion(personas)
    client = login(personas.town_clerk)
    text = client.get("/reviews/").text
    assert f'data-opinion="{ours.pk}"' in text and f'data-opinion="{theirs.pk}"' not in text
    assert client.get(f"/reviews/{theirs.pk}/").status_code == 404
    assert client.get(f"/reviews/{theirs.pk}/export/").status_code == 404
    assert client.post(f"/reviews/{theirs.pk}/issue/").status_code == 404
    # And the case pages of their items stay closed to this clerk.
    code = theirs.items.get().case.code
    assert client.get(f"/cases/{code}/").status_code == 404


def test_the_clerk_creates_a_draft_then_issues_it(personas, login):
    client = login(personas.town_clerk)
    page = client.get("/reviews/new/")
    assert page.status_code == 200
    assert "东湖街道办事处" in page.text and "西山镇人民政府" not in page.text
    response = client.post(
        "/reviews/new/",
        {
            "title": "关于环境状况报告的审议意见",
            "subject": "环境状况报告",
            "meeting": "",
            "meeting_date": "2026-09-10",
            "category": category().pk,
            "text": "",
            "default_days": "30",
            "items": "燃煤锅炉｜淘汰燃煤锅炉｜东湖街道办事处｜20\n噪声｜整治噪声｜东湖街道办事处",
        },
    )
    opinion = ReviewOpinion.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reviews/{opinion.pk}/"
    assert opinion.congress == personas.units["town"] and opinion.status == "draft"
    assert [i.working_days for i in opinion.items.order_by("number")] == [20, 30]
    assert "交办问题清单" in client.get(f"/reviews/{opinion.pk}/").text
    response = client.post(f"/reviews/{opinion.pk}/issue/", follow=True)
    assert "已交办2项问题" in response.text
    opinion.refresh_from_db()
    assert opinion.status == "issued"
    assert Case.objects.filter(kind="supervision_item", state="assigned").count() == 2
    again = client.post(f"/reviews/{opinion.pk}/issue/", follow=True)
    assert "交办失败，未作任何更改：该审议意见已交办" in again.text
    assert Case.objects.count() == 2


def test_bad_input_is_named_in_chinese_and_nothing_is_saved(personas, login):
    client = login(personas.town_clerk)
    response = client.post(
        "/reviews/new/",
        {
            "title": "审议意见",
            "subject": "报告",
            "meeting_date": "2026-09-10",
            "category": category().pk,
            "default_days": "",
            "items": "甲类｜问题｜不存在的单位｜10\n乙类｜问题\n丙类｜问题｜东湖街道办事处",
        },
    )
    assert response.status_code == 400
    assert "第1行：“不存在的单位”不是东湖街道人大工委可以交办的承办单位" in response.text
    assert "第2行：应为" in response.text
    assert "第3行：请填写整改时限" in response.text
    assert not ReviewOpinion.objects.exists()
    empty = client.post("/reviews/new/", {"meeting_date": "不是日期"})
    assert empty.status_code == 400 and "请填写问题清单" in empty.text
    assert not ReviewOpinion.objects.exists()


@pytest.mark.parametrize("name", ["leader", "deputy", "unit_handler", "station_clerk"])
def test_only_clerks_create_and_issue(personas, login, name):
    opinion = make_opinion(personas, issue=False)
    client = login(personas.users[name])
    assert client.get("/reviews/new/").status_code == 403
    assert client.post(f"/reviews/{opinion.pk}/issue/").status_code in (403, 404)
    opinion.refresh_from_db()
    assert opinion.status == "draft"


def test_the_leader_reads_without_the_issue_button(personas, login):
    opinion = make_opinion(personas, issue=False)
    text = login(personas.leader).get(f"/reviews/{opinion.pk}/").text
    assert "加快淘汰建成区燃煤锅炉" in text and "交办问题清单" not in text


def _reply_first(personas, opinion, handler) -> None:
    case = opinion.items.select_related("case").get(number=1).case
    case_sign(case=case, actor=handler, version=case.version)
    case_reply(case=case, actor=handler, version=case.version, result_class="solved", reply="已办")


def test_the_list_counts_in_one_query(personas, login, django_assert_num_queries):
    _, _, handler = town_units(personas)
    for _ in range(3):
        _reply_first(personas, make_opinion(personas), handler)
    make_opinion(personas, issue=False)
    client = login(personas.town_clerk)
    client.get("/reviews/")
    # session, user, memberships (the scope), the opinions with their counts (one aggregate
    # query); the installation banner is remembered (renda.lib.memo).
    with django_assert_num_queries(4):
        response = client.get("/reviews/")
    assert response.text.count("已办结 1") == 3 and response.text.count("办理中 2") == 3


def test_the_detail_counts_in_flat_queries(personas, login, django_assert_num_queries):
    _, second, handler = town_units(personas)
    opinion = make_opinion(personas)
    _reply_first(personas, opinion, handler)
    client = login(personas.town_clerk)
    client.get(f"/reviews/{opinion.pk}/")
    # session, user, memberships, the opinion, its items with their cases and units, their
    # cases' lead assignments, the counts by category (one aggregate query), which of the
    # cases the reader may open; the installation banner is remembered (renda.lib.memo).
    with django_assert_num_queries(8):
        response = client.get(f"/reviews/{opinion.pk}/")
    text = response.text
    assert 'data-testid="count-done">1<' in text and 'data-testid="count-in-hand">2<' in text
    bigger = make_opinion(
        personas, items=[ItemInput(f"类{i % 4}", f"问题{i}", second, 10) for i in range(31)]
    )
    with django_assert_num_queries(8):
        response = client.get(f"/reviews/{bigger.pk}/")
    assert 'data-testid="count-in-hand">31<' in response.text
    assert response.text.count('data-testid="case-link"') == 31


def test_an_item_returned_and_assigned_again_names_the_unit_that_has_it(personas, login):
    """The list keeps the unit the item was issued to, and says where its case went since:
    returned (退回) and waiting, then assigned to another unit."""
    from renda.cases.services import case_assign, case_return

    _, second, handler = town_units(personas)
    opinion = make_opinion(personas)
    case = opinion.items.select_related("case").get(number=1).case
    client = login(personas.town_clerk)
    assert 'data-testid="unit-note"' not in client.get(f"/reviews/{opinion.pk}/").text
    case = case_return(case=case, actor=handler, version=case.version, reason="不属本单位职责")
    assert "（已退回，待重新交办）" in client.get(f"/reviews/{opinion.pk}/").text
    clerk = personas.town_clerk
    case_assign(case=case, actor=clerk, version=case.version, lead_unit=second, working_days=10)
    text = client.get(f"/reviews/{opinion.pk}/").text
    assert "东湖街道办事处<span" in text and "（现由东湖街道城管中队办理）" in text
    assert text.count('data-testid="unit-note"') == 1
    sheet = load_workbook(io.BytesIO(client.get(f"/reviews/{opinion.pk}/export/").content)).active
    units = [row[3] for row in sheet.iter_rows(min_row=2, max_row=4, values_only=True)]
    moved = "东湖街道办事处（现由东湖街道城管中队办理）"
    assert units == [moved, "东湖街道办事处", "东湖街道办事处"]


def test_export_has_the_list_with_progress(personas, login):
    _, _, handler = town_units(personas)
    opinion = make_opinion(personas)
    _reply_first(personas, opinion, handler)
    response = login(personas.town_clerk).get(f"/reviews/{opinion.pk}/export/")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("序号", "问题类别", "问题及整改要求", "责任单位")
    assert rows[1][1:4] == ("燃煤锅炉淘汰", "加快淘汰建成区燃煤锅炉", "东湖街道办事处")
    assert rows[1][7] == "待评价" and rows[1][9] == "已办"
    assert rows[3][7] == "待签收"
    assert rows[-1][2] == "已办结1项，办理中2项，已超期0项"


def test_overdue_items_are_counted_and_marked(personas, login, clock):
    opinion = make_opinion(personas)
    second = opinion.items.select_related("case").get(number=2).case
    clock.move_to(dt.datetime.combine(second.deadline + dt.timedelta(days=1), dt.time(10)))
    client = login(personas.town_clerk)
    assert "已超期 1" in client.get("/reviews/").text
    text = client.get(f"/reviews/{opinion.pk}/").text
    assert 'data-testid="count-overdue">1<' in text
    assert "已超期 · 待签收" in text


def test_a_unit_sees_the_list_and_opens_only_its_own_items(personas, login):
    gov, second, handler = town_units(personas)
    items = [ItemInput("甲类", "街道的问题", gov, 10), ItemInput("甲类", "中队的问题", second, 10)]
    opinion = make_opinion(personas, items=items)
    ours, theirs = [i.case for i in opinion.items.select_related("case").order_by("number")]
    text = login(handler).get(f"/reviews/{opinion.pk}/").text
    assert f'href="/cases/{ours.code}/"' in text and f'href="/cases/{theirs.code}/"' not in text
    assert "中队的问题" in text
    assert login(handler).get(f"/cases/{theirs.code}/").status_code == 404


def _form(**changes) -> dict:
    data = {
        "title": "改过的审议意见",
        "subject": "环境状况报告",
        "meeting": "",
        "meeting_date": "2026-09-10",
        "category": category().pk,
        "text": "",
        "default_days": "",
        "items": "噪声｜整治噪声｜东湖街道办事处｜12",
    }
    return {**data, **changes}


def test_the_clerk_corrects_a_draft_before_issuing(personas, login):
    opinion = make_opinion(personas, issue=False)
    client = login(personas.town_clerk)
    page = client.get(f"/reviews/{opinion.pk}/edit/")
    assert page.status_code == 200
    assert "燃煤锅炉淘汰｜加快淘汰建成区燃煤锅炉｜东湖街道办事处｜20" in page.text
    bad = client.post(f"/reviews/{opinion.pk}/edit/", _form(items="甲类｜问题｜无此单位｜5"))
    assert bad.status_code == 400 and "第1行：“无此单位”" in bad.text
    assert opinion.items.count() == 3
    response = client.post(f"/reviews/{opinion.pk}/edit/", _form())
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.title == "改过的审议意见"
    assert list(opinion.items.values_list("number", "category", "working_days")) == [
        (1, "噪声", 12)
    ]
    # The lines taken out are kept in the operation log, with who took them out.
    removed = LogEntry.objects.filter(
        content_type__model="problemitem", action=LogEntry.Action.DELETE
    )
    assert removed.count() == 2
    assert {e.actor for e in removed} == {personas.town_clerk}
    texts = {e.changes_dict["text"][0] for e in removed}
    assert texts == {"建立锅炉清洁能源改造台账", "整治夜间施工噪声扰民"}
    title = LogEntry.objects.get(content_type__model="reviewopinion", action=LogEntry.Action.UPDATE)
    assert title.changes_dict["title"] == ["关于街道环境状况报告的审议意见", "改过的审议意见"]


def test_an_issued_or_foreign_opinion_cannot_be_edited(personas, login):
    opinion = make_opinion(personas)
    response = login(personas.town_clerk).post(f"/reviews/{opinion.pk}/edit/", _form())
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.title != "改过的审议意见" and opinion.items.count() == 3
    draft = make_opinion(personas, issue=False)
    assert login(personas.leader).get(f"/reviews/{draft.pk}/edit/").status_code == 403
    assert login(personas.other_town_clerk).get(f"/reviews/{draft.pk}/edit/").status_code == 404
