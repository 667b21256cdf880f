"""Generates many cases with realistic states and histories over the demo city, for
`bench_cases`. Runs inside a configured Django process on a database that `seed_demo --size
city` has filled.

What a live system of a few years looks like: cases arrive steadily over ~3 years (the id
grows with `created_at`, as it does when cases are filed one by one); the older a case, the
likelier it is finished, so most are closed and the open ones are recent; a few were rejected
or merged. Each assigned case has its lead assignment (some with a co-unit, some returned and
routed again, some re-handled after 不满意), and every transition has its `CaseEvent`, with the
data the services write. Tracking codes are the services' format (MQ2025-000123), numbered per
year, and the code counters are moved past them so new submissions go on from there.

Rows bypass the services (a million `case_submit` calls would take hours) but satisfy every
constraint: they are written with the database's constraints and foreign keys on. Writing is
batched, so memory stays bounded: `executemany` on SQLite, COPY on PostgreSQL.
"""

import datetime as dt
import gc
import json
import multiprocessing
import random
import time
from bisect import bisect
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import accumulate

from django.db import connection, transaction

from renda.accounts.models import User
from renda.cases.models import Assignment, Case, CaseEvent, Category, CodeCounter, UrgencyTier
from renda.demo.names import DEMO_PHONE_PREFIX, person_name
from renda.deputies.models import Deputy
from renda.open311.models import Client, ClientRequest
from renda.open311.services import client_create, client_rotate_key
from renda.org.models import Grid, Level, Membership, OrgUnit, Region

S = Case.State
DAY = 86400.0
_EPOCH = dt.date(1970, 1, 1)
YEARS = 3
BATCH = 20_000

# The state of a case by its age in days: (upper bound of the age, weights by state).
_STATES = [
    S.SUBMITTED,
    S.ACCEPTED,
    S.ASSIGNED,
    S.HANDLING,
    S.REPLIED,
    S.CLOSED,
    S.REJECTED,
    S.MERGED,
]
_BY_AGE = [
    (3, [40, 15, 25, 12, 0, 0, 5, 3]),
    (15, [3, 5, 12, 50, 20, 5, 3, 2]),
    (45, [0, 1, 2, 25, 22, 44, 4, 2]),
    (120, [0, 0, 0, 5, 3, 84, 5, 3]),
    (float("inf"), [0, 0, 0, 0.1, 0, 92.4, 5, 2.5]),
]
_CHANNELS = [
    (Case.Channel.PORTAL, 42),
    (Case.Channel.DEPUTY, 15),
    (Case.Channel.RECEPTION_DAY, 10),
    (Case.Channel.HOTLINE, 20),
    (Case.Channel.ACTIVITY, 3),
    (Case.Channel.CONSULTATION, 2),
    (Case.Channel.OPEN311, 8),
]
_PROBLEMS = {
    "城乡建设": ["路灯损坏多日未修", "小区道路坑洼积水", "老旧小区加装电梯", "违章搭建影响通行"],
    "环境保护": ["河道垃圾堆积发臭", "夜间施工噪音扰民", "餐饮油烟直排", "工厂废气异味"],
    "交通运输": ["公交站台缺少遮雨棚", "路口红绿灯时长不合理", "村道会车困难", "停车位不足"],
    "教育文体": ["学校周边交通拥堵", "村文化礼堂设施老化", "幼儿园学位紧张", "健身器材损坏"],
    "劳动和社会保障": ["农民工工资拖欠", "医保异地报销不便", "灵活就业参保咨询", "养老金认证困难"],
    "商贸旅游": ["农贸市场秩序混乱", "景区停车收费不规范", "菜市场缺少公平秤", "夜市占道经营"],
    "卫生计生": ["卫生院夜间无人值班", "社区医生配备不足", "药品配送不及时", "疫苗接种排队久"],
    "农业农村": ["灌溉渠道淤塞", "农田机耕路损坏", "农产品销路不畅", "村内饮水水压不足"],
    "营商环境": ["审批材料重复提交", "企业用电报装慢", "涉企检查过多", "融资担保门槛高"],
    "社会治理": ["邻里纠纷调解", "流浪犬伤人隐患", "电动车楼道充电", "群租房安全隐患"],
    "其他": ["政策咨询", "建议增设便民服务点", "希望公开办事指南", "反映其他问题"],
}
_REPLIES = {
    Case.ResultClass.SOLVED: "经现场核实，已组织人员处理完毕，欢迎继续监督。",
    Case.ResultClass.PLANNED: "该问题已列入年度计划，资金落实后分批实施，预计年内完成。",
    Case.ResultClass.EXPLAINED: "经核查，相关做法符合现行规定，已向群众当面解释说明。",
}
_REJECT_REASONS = ["属于诉讼程序处理事项，请依法向人民法院起诉。", "反映内容不明确，无法核实。"]


@dataclass
class Stats:
    cases: int = 0
    events: int = 0
    assignments: int = 0
    open311: int = 0
    states: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    api_key: str = ""
    client_region: str = ""


@dataclass(frozen=True)
class _Congress:
    pk: int
    path: str
    region_path: str
    parent: "_Congress | None"
    units: tuple[int, ...]  # handling units in its jurisdiction, own level first


class _Writer:
    """Rows into a table, in the fastest way the database offers."""

    def __init__(self, *, pg: bool) -> None:
        self.pg = pg
        self._offset = "+00" if self.pg else ""
        self._days: dict[int, str] = {}

    def ts(self, seconds: float) -> str:
        """A UTC time as the database's text: naive on SQLite (as Django keeps it there), with
        its offset on PostgreSQL. Formatted by hand: it runs ten million times."""
        day, rest = divmod(int(seconds), 86400)
        prefix = self._days.get(day)
        if prefix is None:
            prefix = self._days[day] = (_EPOCH + dt.timedelta(days=day)).isoformat()
        hours, rest = divmod(rest, 3600)
        minutes, secs = divmod(rest, 60)
        return f"{prefix} {hours:02d}:{minutes:02d}:{secs:02d}{self._offset}"

    def local_day(self, seconds: float) -> dt.date:
        """The date in Asia/Shanghai (no daylight saving: a fixed +8 hours)."""
        return _EPOCH + dt.timedelta(days=int(seconds + 8 * 3600) // 86400)

    def write(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        names = ", ".join(f'"{c}"' for c in columns)
        with connection.cursor() as cursor:
            if self.pg:
                with cursor.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)

    @contextmanager
    def indexes_suspended(self, tables):
        """Drop the tables' secondary indexes (not primary keys or unique constraints) and
        create them again from their own definitions on the way out."""
        with connection.cursor() as cursor:
            if self.pg:
                cursor.execute(
                    "SELECT i.indexname, i.indexdef FROM pg_indexes i "
                    "WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s) "
                    "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = "
                    "(quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)",
                    [list(tables)],
                )
            else:
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                    f"AND tbl_name IN ({', '.join(['%s'] * len(tables))})",
                    list(tables),
                )
            indexes = cursor.fetchall()
            for name, _ in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                if self.pg:
                    cursor.execute("SET maintenance_work_mem = '512MB'")
                else:
                    cursor.execute("PRAGMA cache_size = -262144")  # 256 MiB for the sorts
                for _, sql in indexes:
                    cursor.execute(sql)


# fmt: off
CASE_COLUMNS = [
    "id", "code", "kind", "title", "content", "category_id", "region_id", "grid_id", "address",
    "latitude", "longitude", "channel", "submitter_id", "submitter_name", "submitter_phone",
    "collected_by_id", "is_public", "state", "congress_id", "urgency_id", "deadline",
    "merged_into_id", "reject_reason", "result_class", "reply", "rating", "unsatisfied_count",
    "supervision", "lead_leader_id", "agenda_item", "version", "idempotency_key", "created_at",
    "updated_at", "replied_at", "closed_at", "last_reminded_at",
]
ASSIGNMENT_COLUMNS = [
    "case_id", "unit_id", "role", "state", "deadline", "assigned_by_id", "assigned_at",
    "signed_at", "replied_at", "returned_at", "returned_reason", "extension_days_requested",
    "extension_reason", "round",
]
EVENT_COLUMNS = [
    "case_id", "actor_id", "action", "from_state", "to_state", "note", "data", "created_at",
]
# fmt: on
OPEN311_COLUMNS = ["case_id", "client_id", "email", "media_url", "address_id", "created_at"]
# Written in this order, each batch in one transaction.
TABLES = {
    Case._meta.db_table: CASE_COLUMNS,
    Assignment._meta.db_table: ASSIGNMENT_COLUMNS,
    CaseEvent._meta.db_table: EVENT_COLUMNS,
    ClientRequest._meta.db_table: OPEN311_COLUMNS,
}


class _World:
    """The demo city as the generator needs it: plain ids and paths, loaded once."""

    def __init__(self, rng: random.Random) -> None:
        regions = list(Region.objects.values("pk", "path", "level", "name"))
        by_path = {r["path"]: r for r in regions}
        units = list(OrgUnit.objects.values("pk", "path", "kind", "region__path", "is_active"))
        congress_rows = sorted(
            (u for u in units if u["kind"] in OrgUnit.CONGRESS_KINDS and u["is_active"]),
            key=lambda u: u["path"],
        )
        handling = [u for u in units if u["kind"] == OrgUnit.Kind.HANDLING_UNIT and u["is_active"]]
        self.congress_of_region: dict[str, _Congress] = {}
        made: dict[int, _Congress] = {}
        for row in congress_rows:  # parents come before children in path order
            parent = None
            for other in reversed(list(made.values())):
                if row["path"].startswith(other.path) and other.path != row["path"]:
                    parent = other
                    break
            rpath = row["region__path"]
            own = [u["pk"] for u in handling if u["region__path"] == rpath]
            below = [
                u["pk"]
                for u in handling
                if u["region__path"].startswith(rpath) and u["region__path"] != rpath
            ]
            made[row["pk"]] = _Congress(row["pk"], row["path"], rpath, parent, tuple(own + below))
            self.congress_of_region[rpath] = made[row["pk"]]
        # Where cases come from: villages mostly, some filed against the town itself.
        self.places = [r for r in regions if r["level"] in (Level.VILLAGE, Level.TOWN)]
        self.place_weights = [8 if r["level"] == Level.VILLAGE else 10 for r in self.places]
        self.place_cum = list(accumulate(self.place_weights))
        self.name_of_path = {r["path"]: r["name"] for r in regions}
        self.by_path = by_path
        grids: dict[int, list[int]] = {}
        for pk, region_id in Grid.objects.filter(is_active=True).values_list("pk", "region_id"):
            grids.setdefault(region_id, []).append(pk)
        self.grids = grids
        self.town_of = {}
        for r in self.places:
            town_path = r["path"] if r["level"] == Level.TOWN else r["path"][: -Region.steplen]
            self.town_of[r["pk"]] = by_path[town_path]
        self.categories = list(Category.objects.filter(is_active=True).values_list("pk", "name"))
        urgency = list(UrgencyTier.objects.values_list("pk", "name", "working_days"))
        # Most cases are 一般; a few 紧急 and 复杂 (the tiers' order by working days).
        urgency.sort(key=lambda row: row[2])
        shares = [5, 80, 15] if len(urgency) == 3 else [1] * len(urgency)
        self.urgency_pick = _Weighted(list(zip(urgency, shares, strict=True)))
        self.deputies = list(Deputy.objects.values_list("pk", flat=True))
        self.citizen = User.objects.filter(username="citizen").values_list("pk", flat=True).first()
        self.leader = User.objects.filter(username="leader").values_list("pk", flat=True).first()
        # Staff who act in the timeline: the demo clerks and handlers where they sit, otherwise
        # one bench account per congress and per handling unit (named like staff, no seat).
        seated = dict(
            Membership.objects.filter(is_active=True, unit__isnull=False)
            .exclude(role="deputy")
            .values_list("unit_id", "user_id")
        )
        needed = [c.pk for c in made.values()] + [u["pk"] for u in handling]
        missing = [pk for pk in needed if pk not in seated]
        existing = dict(
            User.objects.filter(username__in=[f"bench_staff_{pk}" for pk in missing]).values_list(
                "username", "pk"
            )
        )
        new = [
            User(
                username=f"bench_staff_{pk}",
                full_name=person_name(rng, female=rng.random() < 0.5),
                password="!",
            )
            for pk in missing
            if f"bench_staff_{pk}" not in existing
        ]
        User.objects.bulk_create(new, batch_size=1000)
        existing = dict(
            User.objects.filter(username__startswith="bench_staff_").values_list("username", "pk")
        )
        self.staff = {pk: seated.get(pk) or existing[f"bench_staff_{pk}"] for pk in needed}

    def place(self, rng: random.Random) -> dict:
        return self.places[bisect(self.place_cum, rng.random() * self.place_cum[-1])]

    def congress_for(self, path: str) -> _Congress:
        step = Region.steplen
        for end in range(len(path), 0, -step):
            found = self.congress_of_region.get(path[:end])
            if found is not None:
                return found
        raise ValueError(f"no congress above region {path}")


_JSON = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode


def _json(data: dict | None) -> str:
    return _JSON(data) if data else "{}"


def _phone(rng: random.Random) -> str:
    return f"{DEMO_PHONE_PREFIX}{rng.randrange(10_000):04d}"


class _Weighted:
    """A weighted choice with its cumulative weights worked out once."""

    def __init__(self, pairs) -> None:
        self.values = [v for v, _ in pairs]
        self.cum = list(accumulate(w for _, w in pairs))

    def pick(self, rng: random.Random):
        return self.values[bisect(self.cum, rng.random() * self.cum[-1])]


_STATE_BY_AGE = [
    (bound, _Weighted(list(zip(_STATES, weights, strict=True)))) for bound, weights in _BY_AGE
]
_CHANNEL_PICK = _Weighted(_CHANNELS)
_RESULT_PICK = _Weighted(list(zip(_REPLIES, [70, 18, 12], strict=True)))
_RATING_PICK = _Weighted([("satisfied", 78), ("basically_satisfied", 22)])


def _state_for_age(rng: random.Random, age_days: float) -> str:
    for bound, weighted in _STATE_BY_AGE:
        if age_days < bound:
            return weighted.pick(rng)
    raise AssertionError  # pragma: no cover


class _CaseBuilder:
    """One case's row, its assignments, events and Open311 record, walked through the
    transitions its final state needs, at times that fit between its creation and now."""

    def __init__(self, world: _World, writer: _Writer, rng: random.Random, now: float) -> None:
        self.w = world
        self.out = writer
        self.rng = rng
        self.now = now
        self.recent_by_town: dict[int, list[int]] = {}

    def build(self, case_id: int, code: str, created: float, client_id: int | None):
        rng, w, out = self.rng, self.w, self.out
        age = (self.now - created) / DAY
        state = _state_for_age(rng, age)
        place = w.place(rng)
        town = w.town_of[place["pk"]]
        if state == S.MERGED and not self.recent_by_town.get(town["pk"]):
            state = S.CLOSED
        category_id, category = rng.choice(w.categories)
        problem = rng.choice(_PROBLEMS.get(category, _PROBLEMS["其他"]))
        place_name = w.name_of_path[place["path"]]
        channel = _CHANNEL_PICK.pick(rng)
        if client_id is None and channel == Case.Channel.OPEN311:
            channel = Case.Channel.HOTLINE
        submitter_id = collected_by = None
        submitter_name = person_name(rng, female=rng.random() < 0.5)
        phone = _phone(rng)
        if channel == Case.Channel.DEPUTY and w.deputies:
            collected_by = rng.choice(w.deputies)
            if rng.random() < 0.3:
                phone = ""  # the deputy is the contact
        elif channel == Case.Channel.PORTAL and w.citizen and rng.random() < 0.002:
            submitter_id, submitter_name, phone = w.citizen, "", ""
        grids = w.grids.get(place["pk"]) or w.grids.get(town["pk"]) or [None]
        congress = w.congress_for(place["path"])
        events: list[tuple] = []
        assignments: list[tuple] = []
        # Each step's time: after the previous one, scaled so the last fits before now.
        span = max(self.now - created - 60.0, 60.0)
        t = created

        def later(days: float) -> float:
            nonlocal t
            t = min(t + days * DAY * rng.uniform(0.5, 1.5), created + span * 0.999)
            return t

        version = 0
        cur = ""

        def event(action: str, to: str, actor, at: float, note: str = "", data=None) -> None:
            nonlocal version, cur
            events.append((case_id, actor, action, cur, to, note, _json(data), out.ts(at)))
            version += 1
            cur = to

        row = {
            "urgency_id": None,
            "deadline": None,
            "merged_into_id": None,
            "reject_reason": "",
            "result_class": "",
            "reply": "",
            "rating": None,
            "unsatisfied_count": 0,
            "supervision": Case.Supervision.NONE,
            "lead_leader_id": None,
            "agenda_item": "",
            "replied_at": None,
            "closed_at": None,
            "last_reminded_at": None,
        }
        event("submit", S.SUBMITTED, submitter_id, created)
        # A case's whole path; shortened to its final state below.
        if state == S.SUBMITTED:
            pass
        elif state == S.REJECTED:
            reason = rng.choice(_REJECT_REASONS)
            event("reject", S.REJECTED, w.staff[congress.pk], later(1), reason)
            row["reject_reason"] = reason
        elif state == S.MERGED:
            target = rng.choice(self.recent_by_town[town["pk"]])
            event("merge", S.MERGED, w.staff[congress.pk], later(1), "", {"into": target})
            row["merged_into_id"] = target
        else:
            event("accept", S.ACCEPTED, w.staff[congress.pk], later(0.8))
            # 上报: the matter is above the town (a county road, a city department's rule).
            hops = 0
            while congress.parent is not None and rng.random() < (0.12 if hops == 0 else 0.2):
                parent = congress.parent
                event(
                    "escalate",
                    S.ACCEPTED,
                    w.staff[congress.pk],
                    later(0.5),
                    "",
                    {"from_congress": congress.pk, "to_congress": parent.pk},
                )
                congress, hops = parent, hops + 1
            if state != S.ACCEPTED:
                self._handle(state, congress, row, event, assignments, later, case_id)
        self.recent_by_town.setdefault(town["pk"], []).append(case_id)
        if len(self.recent_by_town[town["pk"]]) > 50:
            self.recent_by_town[town["pk"]].pop(0)
        has_coords = rng.random() < 0.4
        updated = out.ts(t)
        case_row = (
            case_id,
            code,
            Case.Kind.OPINION,
            f"{place_name}{problem}",
            f"我是{place_name}的居民，{problem}，已经影响到周边群众的正常生活，"
            f"希望有关部门尽快核实处理。联系人{submitter_name or '本人'}。",
            category_id,
            place["pk"],
            rng.choice(grids),
            f"{town['name']}{place_name}{rng.randint(1, 99)}号" if rng.random() < 0.7 else "",
            f"{30 + rng.random():.6f}" if has_coords else None,
            f"{120 + rng.random():.6f}" if has_coords else None,
            channel,
            submitter_id,
            submitter_name,
            phone,
            collected_by,
            rng.random() < 0.25,
            cur,
            congress.pk,
            row["urgency_id"],
            row["deadline"].isoformat() if row["deadline"] else None,
            row["merged_into_id"],
            row["reject_reason"],
            row["result_class"],
            row["reply"],
            row["rating"],
            row["unsatisfied_count"],
            row["supervision"],
            row["lead_leader_id"],
            row["agenda_item"],
            version,
            "",
            out.ts(created),
            updated,
            out.ts(row["replied_at"]) if row["replied_at"] else None,
            out.ts(row["closed_at"]) if row["closed_at"] else None,
            out.ts(row["last_reminded_at"]) if row["last_reminded_at"] else None,
        )
        open311 = None
        if channel == Case.Channel.OPEN311:
            open311 = (case_id, client_id, "", "", "", out.ts(created))
        return cur, case_row, assignments, events, open311

    def _handle(self, state, congress, row, event, assignments, later, case_id):
        """From 待交办 on: assign, sign, handle, reply, rate; with returns, extensions,
        reminders and re-handling where they happen."""
        rng, w, out = self.rng, self.w, self.out
        units = congress.units or (congress.pk,)
        clerk = w.staff[congress.pk]
        urgency_id, urgency_name, days = w.urgency_pick.pick(rng)
        row["urgency_id"] = urgency_id

        def deadline_from(at: float) -> dt.date:
            return out.local_day(at) + dt.timedelta(days=round(days * 7 / 5))

        def assign() -> tuple[int, list[int], float, dt.date]:
            lead = rng.choice(units)
            co = [u for u in units if u != lead]
            co_units = [rng.choice(co)] if co and rng.random() < 0.15 else []
            at = later(0.7)
            deadline = deadline_from(at)
            event(
                "assign",
                S.ASSIGNED,
                clerk,
                at,
                "",
                {
                    "lead_unit": lead,
                    "co_units": co_units,
                    "urgency": urgency_name,
                    "deadline": deadline.isoformat(),
                },
            )
            return lead, co_units, at, deadline

        def add(unit, role, a_state, round_, **extra):
            """An assignment row, with the lead's current deadline and assignment time."""
            values = {
                "signed_at": None,
                "replied_at": None,
                "returned_at": None,
                "returned_reason": "",
                "extension_days_requested": None,
                "extension_reason": "",
            }
            values.update(extra)
            assignments.append(
                (
                    case_id,
                    unit,
                    role,
                    a_state,
                    deadline.isoformat(),
                    clerk if round_ == 1 or role == "co" else None,
                    out.ts(assigned_at),
                    out.ts(values["signed_at"]) if values["signed_at"] else None,
                    out.ts(values["replied_at"]) if values["replied_at"] else None,
                    out.ts(values["returned_at"]) if values["returned_at"] else None,
                    values["returned_reason"],
                    values["extension_days_requested"],
                    values["extension_reason"],
                    round_,
                )
            )

        lead, co_units, assigned_at, deadline = assign()
        # 退回: not this unit's matter; the congress routes it again.
        if rng.random() < 0.04 and len(units) > 1:
            at = later(1)
            reason = "该事项不属于本单位职责范围，请重新交办。"
            event("return", S.ACCEPTED, w.staff[lead], at, reason, {"unit": lead})
            add(lead, "lead", "returned", 1, returned_at=at, returned_reason=reason)
            for unit in co_units:
                add(unit, "co", "returned", 1, returned_at=at)
            lead, co_units, assigned_at, deadline = assign()
        row["deadline"] = deadline
        if state == S.ASSIGNED:
            add(lead, "lead", "assigned", 1)
            for unit in co_units:
                add(unit, "co", "assigned", 1)
            return
        signed = later(0.6)
        event("sign", S.HANDLING, w.staff[lead], signed, "", {"unit": lead})
        round_ = 1
        lead_extra: dict = {"signed_at": signed}
        while True:
            # 延期: asked for before the deadline, mostly approved.
            if rng.random() < 0.05:
                at = later(3)
                ext = rng.choice([5, 10, 15])
                reason = "需协调多个部门，申请延期办理。"
                event(
                    "extend_request",
                    S.HANDLING,
                    w.staff[lead],
                    at,
                    reason,
                    {"unit": lead, "days": ext, "deadline": deadline.isoformat()},
                )
                if state == S.HANDLING and rng.random() < 0.3:
                    lead_extra.update(extension_days_requested=ext, extension_reason=reason)
                    add(lead, "lead", "extension_requested", round_, **lead_extra)
                    for unit in co_units:
                        add(unit, "co", "signed", round_)
                    return
                old, deadline = deadline, deadline + dt.timedelta(days=round(ext * 7 / 5))
                event(
                    "extend_approve",
                    S.HANDLING,
                    clerk,
                    later(1),
                    "",
                    {"days": ext, "from": old.isoformat(), "to": deadline.isoformat()},
                )
                row["deadline"] = deadline
            # 催办: the day after a missed deadline.
            if rng.random() < 0.04:
                at = later(days * 1.5)
                row["last_reminded_at"] = at
                event("remind", S.HANDLING, None, at, "", {"deadline": deadline.isoformat()})
            if state == S.HANDLING and (round_ > 1 or rng.random() < 0.9):
                if rng.random() < 0.03:
                    row["supervision"] = Case.Supervision.SUPERVISED
                    event(
                        "supervise", S.HANDLING, clerk, later(1), "", {"supervision": "supervised"}
                    )
                add(lead, "lead", "signed", round_, **lead_extra)
                for unit in co_units:
                    add(unit, "co", "signed", round_)
                return
            result = _RESULT_PICK.pick(rng)
            replied = later(days * 0.8)
            local_day = out.local_day(replied)
            event(
                "reply",
                S.REPLIED,
                w.staff[lead],
                replied,
                _REPLIES[result],
                {"unit": lead, "result_class": result, "on_time": local_day <= deadline},
            )
            row.update(result_class=result, reply=_REPLIES[result], replied_at=replied, rating=None)
            add(lead, "lead", "replied", round_, replied_at=replied, **lead_extra)
            for unit in co_units:
                add(unit, "co", "replied", round_, replied_at=replied)
            if state == S.REPLIED and (round_ > 1 or rng.random() < 0.9):
                return
            # 不满意 → 重办: how every open case past its first reply got here; a few closed
            # ones went round once or twice before they were rated.
            if state in (S.HANDLING, S.REPLIED) or (round_ < 3 and rng.random() < 0.06):
                at = later(3)
                round_ += 1
                row["unsatisfied_count"] += 1
                if row["unsatisfied_count"] >= 2:
                    row["supervision"] = Case.Supervision.SUPERVISED
                deadline = deadline_from(at)
                row["deadline"] = deadline
                row["rating"] = Case.Rating.UNSATISFIED
                event(
                    "reopen",
                    S.HANDLING,
                    None,
                    at,
                    "问题没有解决。",
                    {
                        "rating": "unsatisfied",
                        "by_phone": True,
                        "round": round_,
                        "deadline": deadline.isoformat(),
                        "supervision": row["supervision"],
                    },
                )
                assigned_at = at
                co_units = []
                lead_extra = {"signed_at": at}
                continue
            if rng.random() < 0.12:
                at = later(16)
                event("close_unrated", S.CLOSED, None, at, "", {"rating_days": 15})
            else:
                at = later(4)
                rating = _RATING_PICK.pick(rng)
                row["rating"] = rating
                event("rate", S.CLOSED, None, at, "", {"rating": rating, "by_phone": True})
            row["closed_at"] = at
            return


def _open311_client(region_path: str) -> tuple[Client, str]:
    """The bench's hotline client and a fresh API key for it (only its digest is stored)."""
    found = Client.objects.filter(name="bench-hotline").first()
    if found is not None:
        return found, client_rotate_key(client=found)
    return client_create(name="bench-hotline", region=Region.objects.get(path=region_path))


def _produce(queue, *, world: _World, pg: bool, n: int, seed: int, batch: int, start: dict):
    """The producer process: builds the rows batch by batch and hands them to the writer."""
    gc.disable()  # plain tuples, no cycles: the collector would only rescan growing batches
    rng = random.Random(seed)
    writer = _Writer(pg=pg)
    builder = _CaseBuilder(world, writer, rng, start["now"])
    first = start["now"] - YEARS * 365 * DAY
    step = (start["now"] - first) / max(n, 1)
    counters = dict(start["counters"])
    next_id = start["next_id"]
    done = 0
    while done < n:
        size = min(batch, n - done)
        cases, assignments, events, records, states = [], [], [], [], {}
        for i in range(size):
            created = first + (done + i + rng.random()) * step
            # Codes are numbered by the year in Asia/Shanghai.
            year = writer.local_day(created).year
            counters[year] = counters.get(year, 0) + 1
            code = f"MQ{year}-{counters[year]:06d}"
            state, row, a_rows, e_rows, record = builder.build(
                next_id, code, created, start["client_id"]
            )
            next_id += 1
            cases.append(row)
            assignments += a_rows
            events += e_rows
            if record is not None:
                records.append(record)
            states[state] = states.get(state, 0) + 1
        queue.put((cases, assignments, events, records, states))
        done += size
    queue.put(counters)


def generate(n: int, *, seed: int = 3, batch: int = BATCH, progress=None) -> Stats:
    """Write `n` cases (with their assignments, events and Open311 records) after whatever is
    there; returns counts and the seconds it took.

    A forked producer process builds the rows while this one writes them (two cores, two
    jobs), with at most two batches in flight; the tables' secondary indexes are dropped for the
    load and built again at the end, which is several times faster than growing them row by
    row (and checks the unique ones all the same).
    """
    started = time.perf_counter()
    rng = random.Random(seed)
    world = _World(rng)
    pg = connection.vendor == "postgresql"
    writer = _Writer(pg=pg)
    town = next(r for r in world.places if r["level"] == Level.TOWN)
    # A county's 12345 hotline files some of the cases through Open311.
    client, api_key = _open311_client(town["path"][: -Region.steplen])
    start = {
        "now": time.time(),
        "client_id": client.pk,
        "next_id": (Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1,
        "counters": dict(CodeCounter.objects.filter(prefix="MQ").values_list("year", "last")),
    }
    stats = Stats(api_key=api_key, client_region=client.region.path)
    connection.close()  # the producer must not share this process's connection
    context = multiprocessing.get_context("fork")
    queue = context.Queue(maxsize=2)
    producer = context.Process(
        target=_produce,
        kwargs={
            "queue": queue,
            "world": world,
            "pg": pg,
            "n": n,
            "seed": seed + 1,
            "batch": batch,
            "start": start,
        },
        daemon=True,
    )
    producer.start()
    try:
        with writer.indexes_suspended(TABLES):
            while True:
                item = queue.get(timeout=600)
                if isinstance(item, dict):
                    counters = item
                    break
                cases, assignments, events, records, states = item
                with transaction.atomic():
                    for (table, columns), rows in zip(
                        TABLES.items(), (cases, assignments, events, records), strict=True
                    ):
                        writer.write(table, columns, rows)
                stats.cases += len(cases)
                stats.assignments += len(assignments)
                stats.events += len(events)
                stats.open311 += len(records)
                for state, count in states.items():
                    stats.states[state] = stats.states.get(state, 0) + count
                if progress is not None:
                    progress(stats.cases, time.perf_counter() - started)
            if progress is not None:
                progress(stats.cases, time.perf_counter() - started, "building indexes")
    finally:
        producer.join(timeout=5)
        if producer.is_alive():
            producer.terminate()
    for year, last in counters.items():
        CodeCounter.objects.update_or_create(prefix="MQ", year=year, defaults={"last": last})
    if pg:
        with connection.cursor() as cursor:
            for table in TABLES:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )
    stats.seconds = time.perf_counter() - started
    return stats
