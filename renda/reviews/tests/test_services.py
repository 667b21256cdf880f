import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from renda.cases.models import Assignment, Case, CaseEvent
from renda.cases.services import (
    case_accept,
    case_assign,
    case_rate,
    case_reply,
    case_sign,
    case_submit,
)
from renda.reviews import selectors, services
from renda.reviews.models import ReviewOpinion
from renda.reviews.services import ItemInput
from renda.reviews.tests.helpers import make_opinion, town_units
from renda.workcal.calendar import add_working_days

pytestmark = pytest.mark.django_db


def test_it_saves_a_draft_with_numbered_items_and_no_cases(personas):
    opinion = make_opinion(personas, issue=False)
    assert opinion.status == ReviewOpinion.Status.DRAFT
    items = list(opinion.items.order_by("number"))
    assert [i.number for i in items] == [1, 2, 3]
    assert [i.category for i in items] == ["燃煤锅炉淘汰", "燃煤锅炉淘汰", "生活噪声污染整治"]
    assert all(i.case_id is None for i in items)
    assert not Case.objects.exists()


def test_issuing_assigns_each_item_as_a_supervision_case(personas, clock):
    opinion = make_opinion(personas)
    assert opinion.status == ReviewOpinion.Status.ISSUED
    assert opinion.issued_by == personas.town_clerk and opinion.issued_at is not None
    items = list(opinion.items.select_related("case").order_by("number"))
    today = dt.date(2026, 9, 15)
    for item in items:
        case = item.case
        assert case.kind == Case.Kind.SUPERVISION_ITEM
        assert case.channel == Case.Channel.REVIEW
        assert case.state == Case.State.ASSIGNED
        assert case.congress == personas.units["town"]
        assert case.submitter == personas.town_clerk
        assert case.code.startswith("DB2026-")
        assert case.deadline == add_working_days(today, item.working_days)
        lead = case.assignments.get()
        assert (lead.unit, lead.role, lead.deadline) == (item.unit, "lead", case.deadline)
        actions = list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
        assert actions == ["submit", "accept", "assign"]
    assert items[0].case.title.startswith("【审议意见问题清单第1项】")


def test_it_refuses_to_issue_twice(personas):
    opinion = make_opinion(personas)
    with pytest.raises(ValidationError, match="已交办"):
        services.opinion_issue(actor=personas.town_clerk, opinion=opinion)
    assert Case.objects.count() == 3


def test_a_failing_item_leaves_nothing_half_issued(personas):
    gov, second, _ = town_units(personas)
    items = [
        ItemInput("甲类", "第一项", gov, 10),
        ItemInput("甲类", "第二项", gov, 10),
        ItemInput("乙类", "第三项", second, 10),
    ]
    opinion = make_opinion(personas, items=items, issue=False)
    second.is_active = False
    second.save(update_fields=["is_active"])
    with pytest.raises(ValidationError, match="不是在用的承办单位"):
        services.opinion_issue(actor=personas.town_clerk, opinion=opinion)
    opinion.refresh_from_db()
    assert opinion.status == ReviewOpinion.Status.DRAFT and opinion.issued_at is None
    assert not Case.objects.exists() and not CaseEvent.objects.exists()
    assert not opinion.items.filter(case__isnull=False).exists()


def test_only_a_clerk_of_the_congress_or_above_may_draft_or_issue(personas):
    with pytest.raises(ValidationError, match="无权"):
        make_opinion(personas, actor=personas.other_town_clerk, issue=False)
    with pytest.raises(ValidationError, match="无权"):
        make_opinion(personas, actor=personas.leader, issue=False)
    opinion = make_opinion(personas, issue=False)
    with pytest.raises(ValidationError, match="无权"):
        services.opinion_issue(actor=personas.leader, opinion=opinion)
    # The county congress above the town may issue the town's opinion.
    services.opinion_issue(actor=personas.county_clerk, opinion=opinion)
    assert not ReviewOpinion.objects.exclude(pk=opinion.pk).exists()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("只有两栏｜东湖街道办事处", "现有2栏"),
        ("甲类｜问题｜不存在的单位｜10", "“不存在的单位”不是东湖街道人大工委可以交办的承办单位"),
        ("甲类｜问题｜示例市住房和城乡建设局｜10", "不是东湖街道人大工委可以交办"),
        ("甲类｜问题｜东湖街道办事处｜十天", "整改时限应为工作日数"),
        ("甲类｜问题｜东湖街道办事处｜0", "1至250个工作日"),
        ("｜问题｜东湖街道办事处｜10", "请填写问题类别"),
    ],
)
def test_bad_lines_are_named_with_their_number(personas, line, message):
    lines = "甲类｜好的一项｜东湖街道办事处｜10\n" + line
    with pytest.raises(ValidationError) as exc:
        services.parse_items(lines, congress=personas.units["town"], default_days=None)
    assert any(m.startswith("第2行") and message in m for m in exc.value.messages)


def test_lines_take_tabs_bars_and_the_default_days(personas):
    items = services.parse_items(
        "甲类\t问题一\t东湖街道办事处\n\n乙类 | 问题二 | 东湖街道办事处 | 5",
        congress=personas.units["town"],
        default_days=30,
    )
    assert [(i.category, i.text, i.working_days) for i in items] == [
        ("甲类", "问题一", 30),
        ("乙类", "问题二", 5),
    ]
    with pytest.raises(ValidationError, match="至少一项"):
        services.parse_items("  \n", congress=personas.units["town"], default_days=30)
    with pytest.raises(ValidationError, match="默认整改时限"):
        services.parse_items(
            "甲类｜问题｜东湖街道办事处", congress=personas.units["town"], default_days=None
        )


def test_progress_counts_done_in_hand_and_overdue(personas, clock):
    _, _, handler = town_units(personas)
    opinion = make_opinion(personas)
    first, second, _ = [i.case for i in opinion.items.select_related("case").order_by("number")]
    case_sign(case=first, actor=handler, version=first.version)
    case_reply(
        case=first,
        actor=handler,
        version=first.version,
        result_class=Case.ResultClass.SOLVED,
        reply="已淘汰全部燃煤锅炉。",
    )
    total, groups = selectors.opinion_progress(opinion)
    assert (total.items, total.done, total.in_hand, total.overdue) == (3, 1, 2, 0)
    assert [(g.name, g.progress.done, g.progress.in_hand) for g in groups] == [
        ("燃煤锅炉淘汰", 1, 1),
        ("生活噪声污染整治", 0, 1),
    ]
    # Past the second item's deadline (10 working days) but not the third's (15).
    clock.move_to(dt.datetime.combine(second.deadline + dt.timedelta(days=1), dt.time(10)))
    total, _ = selectors.opinion_progress(opinion)
    assert (total.done, total.in_hand, total.overdue) == (1, 1, 1)
    [(_, listed)] = selectors.opinion_rows(personas.town_clerk)
    assert (listed.done, listed.in_hand, listed.overdue) == (1, 1, 1)


def test_the_clerk_accepts_or_reopens_the_units_answer_on_the_case(personas):
    _, _, handler = town_units(personas)
    opinion = make_opinion(personas)
    case = opinion.items.select_related("case").get(number=1).case
    case_sign(case=case, actor=handler, version=case.version)
    case_reply(
        case=case, actor=handler, version=case.version, result_class="solved", reply="已整改。"
    )
    # 不满意: back to the unit with the item's own time again (it has no urgency tier).
    case_rate(case=case, actor=personas.town_clerk, version=case.version, rating="unsatisfied")
    assert case.state == Case.State.HANDLING
    again = case.assignments.filter(state=Assignment.State.SIGNED).get()
    assert again.round == 2 and again.deadline == case.deadline
    case_reply(
        case=case, actor=handler, version=case.version, result_class="solved", reply="已复查。"
    )
    case_rate(case=case, actor=personas.town_clerk, version=case.version, rating="satisfied")
    assert case.state == Case.State.CLOSED


def test_a_unit_outside_the_town_cannot_be_listed(personas):
    with pytest.raises(ValidationError, match="西山镇人民政府"):
        services.parse_items(
            "甲类｜问题｜西山镇人民政府｜10", congress=personas.units["town"], default_days=10
        )


def test_categories_are_numbered_in_chinese():
    assert [selectors.chinese_ordinal(n) for n in (1, 6, 10, 11, 20, 31, 99, 100)] == [
        "一",
        "六",
        "十",
        "十一",
        "二十",
        "三十一",
        "九十九",
        "100",
    ]


def test_case_assign_needs_a_tier_or_working_days(personas):
    opinion = make_opinion(personas, issue=False)
    item = opinion.items.get(number=1)
    case = case_submit(
        actor=personas.town_clerk,
        kind=Case.Kind.SUPERVISION_ITEM,
        title="督办事项",
        content=item.text,
        category=opinion.category,
        region=personas.regions["town"],
        channel=Case.Channel.REVIEW,
    )
    case = case_accept(case=case, actor=personas.town_clerk, version=case.version)
    with pytest.raises(ValidationError, match="请选择办理时限"):
        case_assign(case=case, actor=personas.town_clerk, version=case.version, lead_unit=item.unit)
    case.refresh_from_db()
    assert case.state == Case.State.ACCEPTED and not case.assignments.exists()
