"""A county suggestion's people: 张代表 (the deputy persona) leads, two fellow deputies of the
东湖区 congress co-sign, 东湖区住建局 leads the handling and 东湖街道办事处 co-handles."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from renda.accounts.models import User
from renda.accounts.services import user_create
from renda.cases.models import Category
from renda.deputies.models import Deputy, Seat, Term
from renda.org.models import OrgUnit
from renda.org.roles import Role
from renda.org.services import membership_grant, unit_create
from renda.suggestions import services
from renda.suggestions.models import CongressSession, Suggestion
from renda.testing import PASSWORD, Personas


@dataclass
class County:
    congress: OrgUnit
    term: Term
    cosigners: list[Deputy]
    cosigner_users: list[User]
    lead_unit: OrgUnit
    co_unit: OrgUnit
    lead_handler: User
    co_handler: User


def county(personas: Personas) -> County:
    congress = personas.units["county"]
    term = Term.objects.get(congress=congress)
    cosigners, users = [], []
    for i, name in enumerate(["钱代表", "孙代表"], start=1):
        user = user_create(
            username=f"cosigner{i}", password=PASSWORD, full_name=name, validate=False
        )
        membership_grant(user=user, role=Role.DEPUTY, unit=congress)
        deputy = Deputy.objects.create(
            name=name, gender="female", phone=f"1390000400{i}", user=user
        )
        Seat.objects.create(deputy=deputy, term=term, constituency=f"东湖区第{i + 1}选区")
        cosigners.append(deputy)
        users.append(user)
    lead_unit = unit_create(
        code="D1-ZJJ",
        name="东湖区住房和城乡建设局",
        kind=OrgUnit.Kind.HANDLING_UNIT,
        handling_kind="department",
        region=personas.regions["county"],
        parent=personas.units["city_gov"],
    )
    co_unit = personas.units["town_gov"]
    lead_handler = user_create(
        username="county_handler", password=PASSWORD, full_name="区住建局经办人", validate=False
    )
    membership_grant(user=lead_handler, role=Role.HANDLER, unit=lead_unit)
    co_handler = user_create(
        username="town_handler", password=PASSWORD, full_name="街道办经办人", validate=False
    )
    membership_grant(user=co_handler, role=Role.HANDLER, unit=co_unit)
    return County(congress, term, cosigners, users, lead_unit, co_unit, lead_handler, co_handler)


def open_session(personas: Personas, c: County, *, number: int = 3) -> CongressSession:
    today = timezone.localdate()
    return services.session_create(
        actor=personas.county_clerk,
        term=c.term,
        number=number,
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=2),
    )


def file(personas: Personas, c: County, **overrides) -> Suggestion:
    fields = {
        "actor": personas.deputy,
        "congress": c.congress,
        "session": None,
        "title": "关于加快老旧小区加装电梯的建议",
        "content": "东湖街道老旧小区多，老年居民上下楼困难，建议加快加装电梯并简化审批。",
        "category": Category.objects.order_by("pk").first(),
        "cosigners": c.cosigners,
    }
    fields.update(overrides)
    return services.suggestion_file(**fields)


def accepted(personas: Personas, c: County, **overrides) -> Suggestion:
    s = file(personas, c, **overrides)
    for user in c.cosigner_users:
        services.suggestion_cosign(actor=user, suggestion=s, agree=True)
    s.refresh_from_db()
    return services.suggestion_review(
        actor=personas.county_clerk, suggestion=s, version=s.case.version, accept=True
    )


def assigned(personas: Personas, c: County, **overrides) -> Suggestion:
    s = accepted(personas, c, **overrides)
    s.case.refresh_from_db()
    return services.suggestion_assign(
        actor=personas.county_clerk,
        suggestion=s,
        version=s.case.version,
        lead_unit=c.lead_unit,
        co_units=[c.co_unit],
    )


def answered(personas: Personas, c: County, *, answer_class: str = "B", **overrides):
    from renda.cases.services import case_sign

    s = assigned(personas, c, **overrides)
    services.suggestion_co_view(actor=c.co_handler, suggestion=s, content="街道配合做好居民协调。")
    s.case.refresh_from_db()
    case_sign(case=s.case, actor=c.lead_handler, version=s.case.version)
    s.case.refresh_from_db()
    return services.suggestion_answer(
        actor=c.lead_handler,
        suggestion=s,
        version=s.case.version,
        answer_class=answer_class,
        reply="已将东湖街道5个小区列入明年加装电梯计划。",
        promise="2027年6月前完成5个小区加装电梯" if answer_class == "B" else "",
        promise_due=timezone.localdate() + dt.timedelta(days=180) if answer_class == "B" else None,
    )
