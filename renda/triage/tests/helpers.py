"""A small history for triage tests, made through the case services: cases of three
categories in 东湖街道, accepted by the street committee and assigned to the unit that
handles that category there."""

import itertools

from renda.cases.models import Case
from renda.cases.services import case_accept, case_assign
from renda.cases.tests.helpers import category, submit, tier
from renda.org.models import OrgUnit
from renda.org.services import unit_create

TEXTS = {
    "城乡建设": [
        ("小区路灯损坏", "小区东门路灯坏了半个月，晚上出行很不方便，请尽快维修。"),
        ("道路破损积水", "湖滨路人行道地砖破损，下雨天积水严重，行人只能绕行。"),
        ("老旧小区加装电梯", "我们是老旧小区，老人上下楼困难，希望尽快推进加装电梯。"),
        ("违章搭建", "楼下住户在公共绿地违章搭建彩钢棚，影响通行和消防安全。"),
        ("雨水管网堵塞", "每逢下雨小区门口雨水管网堵塞倒灌，希望疏通改造管网。"),
    ],
    "环境保护": [
        ("工地夜间施工噪音", "附近工地每天夜里十二点后还在施工，噪音扰民，无法入睡。"),
        ("河道垃圾发臭", "湖滨河道漂满垃圾，夏天发臭，蚊虫很多，请清理河道。"),
        ("餐馆油烟扰民", "楼下餐馆油烟直排，窗户都不敢开，请督促安装油烟净化器。"),
        ("工厂排放废气", "附近工厂晚上偷偷排放废气，气味刺鼻，居民头痛咳嗽。"),
        ("垃圾分类点脏乱", "小区垃圾分类投放点长期脏乱，污水横流，异味很大。"),
    ],
    "交通运输": [
        ("公交线路调整", "公交线路调整后，社区居民到医院要换乘两次，希望恢复原线路。"),
        ("路口红绿灯太短", "湖滨路口行人绿灯时间太短，老人过马路来不及，存在安全隐患。"),
        ("共享单车乱停放", "地铁站出口共享单车乱停放，占用盲道，行人难以通行。"),
        ("学校门口拥堵", "上下学时段学校门口车辆乱停，交通拥堵，需要交警疏导。"),
        ("公交站台缺少遮阳棚", "新建公交站台没有遮阳棚和座椅，夏天候车非常辛苦。"),
    ],
}
UNIT_OF = {"城乡建设": "town_gov", "环境保护": "env", "交通运输": "traffic"}


def town_units(personas) -> dict[str, OrgUnit]:
    """Two more handling units in 东湖街道 besides its street office."""
    units = dict(personas.units)
    units["env"] = unit_create(
        code="T1-HB",
        name="东湖街道生态环境所",
        kind=OrgUnit.Kind.HANDLING_UNIT,
        handling_kind=OrgUnit.HandlingKind.OTHER,
        region=personas.regions["town"],
        parent=personas.units["city_gov"],
    )
    units["traffic"] = unit_create(
        code="T1-JT",
        name="东湖街道交通管理站",
        kind=OrgUnit.Kind.HANDLING_UNIT,
        handling_kind=OrgUnit.HandlingKind.OTHER,
        region=personas.regions["town"],
        parent=personas.units["city_gov"],
    )
    return units


def history(personas, units: dict[str, OrgUnit], *, per_category: int, assign: bool = True):
    """`per_category` accepted cases of each category (texts varied by a number), assigned
    to that category's unit when `assign`."""
    cases: list[Case] = []
    for name, texts in TEXTS.items():
        for n, (title, content) in zip(range(per_category), itertools.cycle(texts), strict=False):
            case = submit(
                personas,
                title=f"{title}（{n + 1}）",
                content=f"{content}第{n + 1}次反映，地点在{n + 1}号楼附近。",
                category=category(name),
            )
            case = case_accept(case=case, actor=personas.town_clerk, version=case.version)
            if assign:
                case = case_assign(
                    case=case,
                    actor=personas.town_clerk,
                    version=case.version,
                    lead_unit=units[UNIT_OF[name]],
                    urgency=tier("一般"),
                )
            cases.append(case)
    return cases
