"""A year of duty activities for the demo city, made through the activity services.

Runs after the city (stations, deputies, memberships) and its opinion cases exist. It makes:
the city's 六访六促 campaign with its six directions and a county's 稳企助企; for each town
station, activities over the past year with attendance (mostly present, some on leave or
absent), a planned one in the coming fortnight, a monthly reception day with its duty days for
the next three months, and in some a weekly study day; officials' visits (局长进站) in each
county; and the activity that each case from a reception day or an activity came from, linked
to that case, so the four lists have problems, suggestions and (for the answered cases) results.

Everything is drawn from `random.Random` seeded by the seed, so a seed and a `now` give the
same activities.
"""

import datetime as dt
import random
from collections import defaultdict
from unittest import mock
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from renda.accounts.models import User
from renda.activities.models import (
    ActivityCase,
    ActivityKind,
    Attendance,
    Campaign,
    OfficialVisit,
    StationSchedule,
)
from renda.activities.services import (
    activity_create,
    activity_link_case,
    attendance_record,
    campaign_create,
    schedule_create,
    visit_record,
)
from renda.cases.models import Case
from renda.deputies.models import Deputy, StationMembership
from renda.org.models import Level, Membership, OrgUnit, Region, Station
from renda.org.roles import Role

TZ = ZoneInfo("Asia/Shanghai")
DAY = dt.timedelta(days=1)

SIX_DIRECTIONS = [
    "访美好生活期盼，促为民办实事长效机制深化",
    "访企业生产运行，促经济高质量发展",
    "访城乡区域发展，促乡村振兴农民共富",
    "访生态环境治理，促生态富民惠民",
    "访重大赛会筹办，促公共服务高水平提升",
    "访共富法治需求，促共富立法民主化科学化",
]
STEADY_DIRECTIONS = ["走访企业听需求", "协调解决生产经营难题", "跟踪督办惠企政策落实"]

# The kinds of a station's ordinary activities, by weight.
KIND_WEIGHTS = {
    "visit_voters": 30,
    "reception_day": 20,
    "research": 10,
    "inspection": 8,
    "forum": 10,
    "study": 8,
    "group_activity": 8,
    "special_supervision": 3,
    "law_check": 2,
    "mediation": 4,
}
TITLES = {
    "visit_voters": ["走访{v}选民", "入户走访{v}群众", "{v}代表进网格走访"],
    "reception_day": ["{t}代表接待日", "{t}代表集中接待选民"],
    "research": ["{v}农村生活污水治理调研", "{t}养老服务设施调研", "{t}小微企业融资情况调研"],
    "inspection": ["视察{t}民生实事项目", "视察{v}道路改造工程"],
    "forum": ["{t}企业家座谈会", "{v}民情恳谈会", "{t}“请你来协商”座谈"],
    "study": ["{t}代表履职学习会", "代表讲堂：预算审查监督"],
    "group_activity": ["{t}代表小组活动", "代表小组集中活动日"],
    "special_supervision": ["{t}食品安全专题监督", "{t}物业管理专题监督"],
    "law_check": ["《消防法》贯彻执行情况执法检查"],
    "mediation": ["调解{v}邻里纠纷", "{v}土地流转矛盾调处"],
}
SUMMARIES = [
    "听取群众意见{n}条，现场答复{m}条，其余已登记转办。",
    "代表围绕群众关心的问题逐一走访，收集意见建议{n}条。",
    "活动围绕主题展开，形成书面意见{n}条，交有关部门研究办理。",
    "与会代表和群众交流热烈，梳理问题{n}个，明确责任单位跟进。",
]
VISIT_QUESTIONS = [
    "老旧小区加装电梯审批慢",
    "农贸市场周边停车难",
    "村道路灯损坏未修",
    "学校门口早晚高峰拥堵",
    "企业用工招聘难",
    "河道保洁不及时",
    "社区养老食堂供餐不足",
    "农村生活垃圾清运频次低",
    "小微企业贷款门槛高",
    "公交线路班次少",
]
OFFICIAL_POSTS = [("局长", OfficialVisit.Kind.DIRECTOR), ("副局长", OfficialVisit.Kind.DIRECTOR)]
OFFICIAL_POSTS += [("科长", OfficialVisit.Kind.OFFICIAL), ("主任", OfficialVisit.Kind.OFFICIAL)]
SURNAMES = "王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗"


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _town_path(region: Region) -> str:
    return region.path[: Region.steplen * 4]


class _Seeder:
    def __init__(self, *, seed: int, now: dt.datetime, per_station: int, max_linked: int):
        self.rng = random.Random(f"activities-{seed}")
        self.now = now
        self.today = now.astimezone(TZ).date()
        self.per_station = per_station
        self.max_linked = max_linked
        self.kinds = {k.code: k for k in ActivityKind.objects.all()}
        self.stations = list(
            Station.objects.filter(kind=Station.Kind.STATION, is_active=True)
            .select_related("region", "congress")
            .order_by("code")
        )
        # Where a town's cases were raised: its regional station (a cross-region station
        # serves another town, a sector station a trade).
        self.by_town = {
            _town_path(s.region): s
            for s in self.stations
            if s.specialty == Station.Specialty.REGIONAL
        }
        self.members: dict[int, list[Deputy]] = defaultdict(list)
        for m in (
            StationMembership.objects.filter(station__in=self.stations)
            .select_related("deputy")
            .order_by("station_id", "deputy__name", "deputy_id")
        ):
            self.members[m.station_id].append(m.deputy)
        self.admin = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        self.clerks = {
            m.station_id: m.user
            for m in Membership.objects.filter(role=Role.STATION_CLERK, is_active=True)
            .select_related("user")
            .order_by("pk")
        }
        self.villages: dict[str, list[Region]] = defaultdict(list)
        for v in Region.objects.filter(level=Level.VILLAGE).order_by("code"):
            self.villages[_town_path(v)].append(v)
        self.counts: dict[str, int] = defaultdict(int)

    def actor(self, station: Station):
        """The station's clerk records its own activities where the demo has one."""
        return self.clerks.get(station.pk) or self.admin

    # --- campaigns -------------------------------------------------------------------------

    def campaigns(self) -> None:
        city = OrgUnit.objects.filter(kind=OrgUnit.Kind.CONGRESS, region__level=Level.CITY).first()
        self.six = campaign_create(
            actor=self.admin,
            organiser=city,
            name="六访六促",
            start_date=self.today - 300 * DAY,
            end_date=self.today + 60 * DAY,
            description="组织各级人大代表访民情、汇民智、聚民力、惠民生、促发展。",
            directions=SIX_DIRECTIONS,
        )
        self.six_directions = list(self.six.directions.all())
        county = (
            OrgUnit.objects.filter(kind=OrgUnit.Kind.CONGRESS, region__level=Level.COUNTY)
            .order_by("code")
            .first()
        )
        self.steady = None
        if county is not None:
            self.steady = campaign_create(
                actor=self.admin,
                organiser=county,
                name="稳企助企",
                start_date=self.today - 120 * DAY,
                end_date=self.today + 90 * DAY,
                description="代表走访企业，帮助解决生产经营中的难题。",
                directions=STEADY_DIRECTIONS,
            )
        self.counts["campaigns"] = Campaign.objects.count()

    def _campaign_for(self, station: Station, day: dt.date):
        if self.rng.random() < 0.5 and self.six.start_date <= day <= self.six.end_date:
            return self.six, self.rng.choice(self.six_directions)
        steady = self.steady
        if (
            steady is not None
            and station.region.path.startswith(steady.region.path)
            and steady.start_date <= day <= steady.end_date
            and self.rng.random() < 0.5
        ):
            return steady, self.rng.choice(list(steady.directions.all()))
        return None, None

    # --- activities ------------------------------------------------------------------------

    def _title(self, code: str, station: Station) -> tuple[str, str]:
        villages = self.villages.get(_town_path(station.region)) or [station.region]
        village = self.rng.choice(villages)
        pattern = self.rng.choice(TITLES[code])
        return pattern.format(t=station.region.name, v=village.name), village.name

    def _activity(
        self, station: Station, day: dt.date, code: str, deputies: list[Deputy], *, actor=None
    ):
        actor = actor or self.actor(station)
        title, village = self._title(code, station)
        campaign, direction = self._campaign_for(station, day)
        future = day > self.today
        status = Attendance.Status.INVITED if future else Attendance.Status.ATTENDED
        n = self.rng.randint(2, 12)
        activity = activity_create(
            actor=actor,
            kind=self.kinds[code],
            title=title,
            date=day,
            station=station,
            campaign=campaign,
            direction=direction,
            start_time=dt.time(self.rng.choice([9, 14]), self.rng.choice([0, 30])),
            place=station.address if code == "reception_day" else village,
            summary="" if future else self.rng.choice(SUMMARIES).format(n=n, m=n // 3),
            officials_count=self.rng.randint(0, 3),
            citizens_count=0 if future else self.rng.randint(3, 40),
            attendance=[(d, status) for d in deputies],
        )
        self.counts["activities"] += 1
        if not future:
            # Not everyone comes: a few ask for leave, fewer simply miss it.
            for d in deputies[1:]:
                roll = self.rng.random()
                if roll < 0.08:
                    attendance_record(
                        actor=actor,
                        activity=activity,
                        deputy=d,
                        status=Attendance.Status.LEAVE,
                        note=self.rng.choice(["出差", "外出学习", "身体不适", "工作冲突"]),
                    )
                elif roll < 0.11:
                    attendance_record(
                        actor=actor,
                        activity=activity,
                        deputy=d,
                        status=Attendance.Status.ABSENT,
                    )
        return activity

    def _sample(self, station: Station, k: int, must: Deputy | None = None) -> list[Deputy]:
        pool = self.members.get(station.pk, [])
        chosen = self.rng.sample(pool, min(k, len(pool)))
        if must is not None:
            chosen = [must, *[d for d in chosen if d.pk != must.pk]]
        return chosen

    def station_activities(self) -> None:
        for station in self.stations:
            for _ in range(self.per_station):
                day = self.today - self.rng.randint(1, 360) * DAY
                code = _weighted(self.rng, KIND_WEIGHTS)
                self._activity(station, day, code, self._sample(station, self.rng.randint(2, 5)))
            # One planned for the coming fortnight, deputies invited.
            day = self.today + self.rng.randint(2, 14) * DAY
            self._activity(station, day, "visit_voters", self._sample(station, 3))

    def linked_cases(self) -> None:
        """The activity each reception-day or activity case was raised in, linked to it."""
        cases = (
            Case.objects.filter(
                channel__in=[Case.Channel.RECEPTION_DAY, Case.Channel.ACTIVITY],
                created_at__lte=self.now,
            )
            .select_related("region", "collected_by")
            .order_by("created_at", "pk")[: self.max_linked]
        )
        opened: dict[tuple[int, dt.date, str], object] = {}
        for case in cases:
            station = self.by_town.get(_town_path(case.region))
            if station is None:
                continue
            day = case.created_at.astimezone(TZ).date()
            code = (
                "reception_day"
                if case.channel == Case.Channel.RECEPTION_DAY
                else self.rng.choice(["visit_voters", "forum", "research"])
            )
            key = (station.pk, day, code)
            raised_by = case.collected_by
            activity = opened.get(key)
            if activity is None:
                deputies = self._sample(station, self.rng.randint(2, 4), must=raised_by)
                activity = self._activity(station, day, code, deputies, actor=self.admin)
                opened[key] = activity
            elif raised_by is not None:
                row = activity.attendances.filter(deputy=raised_by).first()
                if row is None or row.status != Attendance.Status.ATTENDED:
                    attendance_record(
                        actor=self.admin,
                        activity=activity,
                        deputy=raised_by,
                        status=Attendance.Status.ATTENDED,
                    )
            nature = (
                ActivityCase.Nature.SUGGESTION
                if self.rng.random() < 0.3
                else ActivityCase.Nature.PROBLEM
            )
            activity_link_case(
                actor=self.admin,
                activity=activity,
                case=case,
                nature=nature,
                raised_by=raised_by,
            )
            self.counts["linked_cases"] += 1

    # --- schedules and visits --------------------------------------------------------------

    def schedules(self) -> None:
        for i, station in enumerate(self.stations):
            schedule_create(
                actor=self.actor(station),
                station=station,
                kind=StationSchedule.Kind.MONTHLY_RECEPTION,
                day_of_month=self.rng.choice([5, 10, 15, 20, 25]),
                start_time=dt.time(9, 0),
                end_time=dt.time(11, 30),
                deputies_per_day=2,
                valid_from=self.today - 365 * DAY,
            )
            self.counts["schedules"] += 1
            if i % 3 == 0:
                schedule_create(
                    actor=self.actor(station),
                    station=station,
                    kind=StationSchedule.Kind.WEEKLY_STUDY,
                    weekday=self.rng.choice([1, 2, 3]),
                    start_time=dt.time(14, 30),
                    end_time=dt.time(16, 30),
                    deputies_per_day=3,
                    valid_from=self.today,
                )
                self.counts["schedules"] += 1

    def visits(self) -> None:
        counties = Region.objects.filter(level=Level.COUNTY).order_by("code")
        for county in counties:
            stations = [s for s in self.stations if s.region.path.startswith(county.path)]
            units = list(
                OrgUnit.objects.filter(
                    kind=OrgUnit.Kind.HANDLING_UNIT,
                    handling_kind=OrgUnit.HandlingKind.DEPARTMENT,
                    region=county,
                ).order_by("code")
            )
            if not stations or not units:
                continue
            for _ in range(3):
                station = self.rng.choice(stations)
                unit = self.rng.choice(units)
                post, kind = self.rng.choice(OFFICIAL_POSTS)
                questions = self.rng.sample(VISIT_QUESTIONS, self.rng.randint(2, 5))
                visit_record(
                    actor=self.actor(station),
                    station=station,
                    date=self.today - self.rng.randint(3, 300) * DAY,
                    kind=kind,
                    official_name=f"{self.rng.choice(SURNAMES)}{post}",
                    official_post=post,
                    unit=unit,
                    questions="\n".join(questions),
                    answered_count=self.rng.randint(0, len(questions)),
                    deputies=self._sample(station, 2),
                )
                self.counts["visits"] += 1


@transaction.atomic
def seed_activities(
    *,
    seed: int,
    now: dt.datetime | None = None,
    per_station: int = 6,
    max_linked: int = 600,
) -> dict[str, int]:
    """Make the demo city's campaigns, activities with attendance, schedules with duty days
    and officials' visits; returns how many of each were made."""
    now = now or timezone.now()
    # The services ask `timezone.now()` what today is (a future activity is planned, a past
    # one held): while the seed runs, today is `now`'s day.
    with mock.patch("django.utils.timezone.now", lambda: now):
        seeder = _Seeder(seed=seed, now=now, per_station=per_station, max_linked=max_linked)
        if seeder.admin is None or not seeder.stations:
            return {}
        seeder.campaigns()
        seeder.linked_cases()
        seeder.station_activities()
        seeder.schedules()
        seeder.visits()
    return dict(seeder.counts)
