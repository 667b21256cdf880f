"""A town's review opinion: 东湖街道人大工委 deliberates the street office's environment report
and lists problems for 东湖街道办事处 (whose handler is `town_handler`) and a second unit."""

import datetime as dt

from renda.accounts.models import User
from renda.accounts.services import user_create
from renda.cases.models import Category
from renda.org.models import OrgUnit
from renda.org.roles import Role
from renda.org.services import membership_grant, unit_create
from renda.reviews import services
from renda.reviews.models import ReviewOpinion
from renda.reviews.services import ItemInput, OpinionInput
from renda.testing import PASSWORD, Personas


def town_units(personas: Personas) -> tuple[OrgUnit, OrgUnit, User]:
    """东湖街道办事处 with its handler, and 东湖街道城管中队 (a second unit in the town)."""
    second = unit_create(
        code="T1-CG",
        name="东湖街道城管中队",
        kind=OrgUnit.Kind.HANDLING_UNIT,
        handling_kind="department",
        region=personas.regions["town"],
        parent=personas.units["town_gov"],
    )
    handler = user_create(
        username="town_handler", password=PASSWORD, full_name="街道办经办人", validate=False
    )
    membership_grant(user=handler, role=Role.HANDLER, unit=personas.units["town_gov"])
    return personas.units["town_gov"], second, handler


def category() -> Category:
    return Category.objects.filter(is_active=True).order_by("sort_order", "pk").first()


def make_opinion(
    personas: Personas,
    *,
    actor: User | None = None,
    congress: OrgUnit | None = None,
    items: list[ItemInput] | None = None,
    issue: bool = True,
) -> ReviewOpinion:
    actor = actor or personas.town_clerk
    congress = congress or personas.units["town"]
    if items is None:
        gov = personas.units["town_gov"]
        items = [
            ItemInput("燃煤锅炉淘汰", "加快淘汰建成区燃煤锅炉", gov, 20),
            ItemInput("燃煤锅炉淘汰", "建立锅炉清洁能源改造台账", gov, 10),
            ItemInput("生活噪声污染整治", "整治夜间施工噪声扰民", gov, 15),
        ]
    opinion = services.opinion_create(
        actor=actor,
        congress=congress,
        data=OpinionInput(
            title="关于街道环境状况报告的审议意见",
            subject="2025年度环境状况和环境保护目标完成情况的报告",
            meeting="第三次工委会议",
            meeting_date=dt.date(2026, 9, 10),
            text="会议认为，报告客观反映了街道环境状况……",
            category=category(),
            items=items,
        ),
    )
    if issue:
        opinion = services.opinion_issue(actor=actor, opinion=opinion)
    return opinion
