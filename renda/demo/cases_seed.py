"""A year of opinion cases for the demo city, made through the case services.

Every case is submitted, accepted, routed, signed, answered and rated by the services of
`renda.cases.services`, as the people of the demo city would: so each case has its real
timeline (`CaseEvent`), assignments, deadlines counted in working days, and notifications.

Time travel. A case's life is a generator that yields the moment of its next step; one
scheduler runs the steps of all cases in time order over the twelve months before `now`, and
steps that would fall after `now` never happen (so recent cases are still open, and some are
overdue). While a step runs, `django.utils.timezone.now` answers the step's moment: the
services read the clock only through it (timestamps, `auto_now_add`, deadlines, codes of the
year, guards such as "overdue"), so everything they write is what they would have written that
day. The swap lasts only while the seed runs, in the one process that runs it. Notifications
are written after the seed commits, at the real time; `messages_backdate` (also on commit,
registered last) gives each message the time of the event it tells of and marks the old ones
read.

Everything is drawn from `random.Random` seeded by the seed, so a seed and a `now` give the
same cases.
"""

import datetime as dt
import heapq
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from unittest import mock
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from renda.accounts.models import User
from renda.cases import services
from renda.cases.models import Case, CaseEvent, Category, UrgencyTier
from renda.demo import case_texts as texts
from renda.demo.cases_cast import CATEGORY_WEIGHTS, Cast, PhonePool, Route, Town, cast_load
from renda.demo.names import person_name
from renda.deputies.models import Deputy
from renda.notifications.models import Message

TZ = ZoneInfo("Asia/Shanghai")
S = Case.State
CH = Case.Channel
DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)

# Channels, per hundred cases.
CHANNEL_WEIGHTS = {
    CH.PORTAL: 35,
    CH.DEPUTY: 24,
    CH.RECEPTION_DAY: 15,
    CH.HOTLINE: 20,
    CH.ACTIVITY: 4,
    CH.CONSULTATION: 2,
}
URGENCY_WEIGHTS = {"紧急": 5, "一般": 80, "复杂": 15}
# 满意 / 基本满意 / 不满意, per hundred, by what the answer was.
RATING_WEIGHTS = {"solved": (80, 17, 3), "planned": (45, 40, 15), "explained": (30, 40, 30)}


@dataclass
class Spec:
    """One case to make: decided before the timeline runs."""

    index: int
    at: dt.datetime
    town: Town
    village: object
    issue: texts.Issue
    title: str
    content: str
    channel: str
    submitter: object = None  # a citizen account
    name: str = ""
    phone: str = ""
    deputy: Deputy | None = None
    follows: int | None = None  # a hot issue's first report
    repost_of: int | None = None  # an exact re-post of this case
    scripted: str = ""  # a persona's case with a fixed course


class Clock:
    """What `timezone.now` answers while the seed runs."""

    def __init__(self) -> None:
        self.now = timezone.now()

    def __call__(self) -> dt.datetime:
        return self.now


@contextmanager
def clock_running(clock: Clock) -> Iterator[None]:
    with mock.patch("django.utils.timezone.now", clock):
        yield


def timeline_run(
    clock: Clock, lives: list[tuple[dt.datetime, int, Iterator[dt.datetime]]], *, until
) -> None:
    """Run the steps of all `lives` (first moment, tie-breaking index, generator) in time
    order with the clock set to each step's moment; a generator yields its next moment, and
    steps that would fall after `until` never happen."""
    heap = sorted(lives, key=lambda life: life[:2])
    while heap:
        at, index, life = heapq.heappop(heap)
        if at > until:
            continue
        clock.now = at
        try:
            following = next(life)
        except StopIteration:
            continue
        heapq.heappush(heap, (max(following, at), index, life))


def _office(t: dt.datetime, rng: random.Random) -> dt.datetime:
    """The first office moment (Mon–Fri 8:30–17:30, local) at or after `t`."""
    local = t.astimezone(TZ)
    start = local.replace(hour=8, minute=30, second=0, microsecond=0)
    end = local.replace(hour=17, minute=30, second=0, microsecond=0)
    if local.weekday() < 5 and start <= local < end:
        return t
    day = local.date() + (DAY if local >= start else dt.timedelta())
    while day.weekday() >= 5:
        day += DAY
    minutes = rng.randint(0, 150)
    return dt.datetime(day.year, day.month, day.day, 8, 30, tzinfo=TZ) + dt.timedelta(
        minutes=minutes
    )


def _later(t: dt.datetime, rng: random.Random, lo: float, hi: float) -> dt.datetime:
    """An office moment between `lo` and `hi` working days after `t` (7/5 calendar days each)."""
    return _office(t + dt.timedelta(days=rng.uniform(lo, hi) * 7 / 5), rng)


class Seeder:
    def __init__(self, *, cast: Cast, seed: int, now: dt.datetime, count: int) -> None:
        self.cast = cast
        self.seed = seed
        self.now = now
        self.count = count
        self.rng = random.Random(f"cases-{seed}")
        self.categories = {c.name: c for c in Category.objects.filter(is_active=True)}
        self.urgency = {u.name: u for u in UrgencyTier.objects.all()}
        self.cases: dict[int, Case] = {}
        self.specs: list[Spec] = []

    # --- planning -----------------------------------------------------------------------

    def _town(self) -> Town:
        towns = self.cast.towns
        # Streets are denser than townships: town-level weights 3 (街道) / 2 (镇) / 1 (乡).
        weights = [
            3 if t.region.name.endswith("街道") else 2 if t.region.name.endswith("镇") else 1
            for t in towns
        ]
        return self.rng.choices(towns, weights=weights)[0]

    def _moment(self) -> dt.datetime:
        """A submission moment in the past year: more recent months a little busier, fewer
        at weekends, mostly in the day and evening."""
        rng = self.rng
        days = 365 * (1 - rng.random() ** 0.8)
        t = self.now - dt.timedelta(days=days)
        local = t.astimezone(TZ)
        if local.weekday() >= 5 and rng.random() < 0.5:
            local -= dt.timedelta(days=local.weekday() - 4)
        hour = rng.choices(range(7, 23), weights=[2, 5, 8, 8, 6, 4, 6, 7, 6, 5, 4, 5, 6, 5, 3, 2])[
            0
        ]
        local = local.replace(hour=hour, minute=rng.randint(0, 59), second=rng.randint(0, 59))
        return min(local, self.now - dt.timedelta(minutes=5))

    def _people(self, spec: Spec) -> None:
        """Who raises it, by channel: an account, a voter a deputy met, a caller."""
        rng, cast = self.rng, self.cast
        town = spec.town
        if spec.channel == CH.PORTAL and rng.random() < 0.35:
            spec.submitter = rng.choice(cast.citizens)
            return
        if spec.channel in (CH.DEPUTY, CH.ACTIVITY, CH.CONSULTATION) or (
            spec.channel == CH.RECEPTION_DAY and rng.random() < 0.6
        ):
            spec.deputy = rng.choice(town.deputies) if town.deputies else None
            if spec.deputy is None:
                spec.channel = CH.RECEPTION_DAY
            elif rng.random() < 0.3:
                return  # the deputy is the contact; the voter left no details
        spec.name = person_name(rng, female=rng.random() < 0.5)
        spec.phone = self.phones.take()

    def plan(self, phones: PhonePool) -> None:
        rng = self.rng
        self.phones = phones
        categories = list(CATEGORY_WEIGHTS)
        hot = max(2, self.count // 100)
        hot_reports = 0
        # Hot issues: one problem at one place, raised by several people within weeks, in
        # near-identical words. A third of them are recent, for the rising-topics view.
        for n in range(hot):
            town = self._town()
            village = rng.choice(town.villages)
            category = rng.choices(categories, weights=list(CATEGORY_WEIGHTS.values()))[0]
            start = self._moment() if n % 3 else self.now - dt.timedelta(days=rng.uniform(5, 40))
            issue = texts.issue_draw(
                rng, category=category, locale=town.locale(village), when=start.date()
            )
            fact = rng.randrange(len(texts.PROBLEMS[category][issue.problem].facts))
            first = None
            for k in range(rng.randint(3, 9)):
                at = start + dt.timedelta(days=rng.uniform(0, 35)) if k else start
                at = min(at, self.now - dt.timedelta(minutes=10))
                spec = self._spec(town, village, issue, at, fact=fact)
                if first is None:
                    first = spec.index
                else:
                    spec.follows = first
                hot_reports += 1
        for _ in range(self.count - hot_reports):
            town = self._town()
            village = rng.choice(town.villages)
            category = rng.choices(categories, weights=list(CATEGORY_WEIGHTS.values()))[0]
            at = self._moment()
            issue = texts.issue_draw(
                rng, category=category, locale=town.locale(village), when=at.date()
            )
            self._spec(town, village, issue, at)
        # Exact re-posts: the same person sends the same words again a few days later.
        for original in rng.sample(self.specs, k=max(1, self.count // 50)):
            at = original.at + dt.timedelta(days=rng.uniform(0.5, 6))
            if at >= self.now:
                continue
            copy = Spec(
                index=len(self.specs),
                at=at,
                town=original.town,
                village=original.village,
                issue=original.issue,
                title=original.title,
                content=original.content,
                channel=CH.PORTAL,
                submitter=original.submitter,
                name=original.name,
                phone=original.phone or self.phones.take(),
                deputy=None,
                repost_of=original.index,
            )
            if copy.submitter is None and not copy.name:
                copy.name = person_name(rng, female=rng.random() < 0.5)
            self.specs.append(copy)
        self._personas()

    def _spec(self, town, village, issue, at, *, fact: int | None = None) -> Spec:
        rng = self.rng
        title, content = texts.issue_write(
            rng, issue, is_community=village.name.endswith("社区"), fact=fact
        )
        channel = rng.choices(list(CHANNEL_WEIGHTS), weights=list(CHANNEL_WEIGHTS.values()))[0]
        spec = Spec(len(self.specs), at, town, village, issue, title, content, channel)
        self._people(spec)
        self.specs.append(spec)
        return spec

    def _personas(self) -> None:
        """The demo's own citizen and deputy raise a few matters in town_clerk's town, at
        ages that leave one of each waiting for their rating."""
        rng, cast = self.rng, self.cast
        town = cast.persona_town
        ages = [300, 200, 120, 60, 35, 16, 9, 2]
        for n, days in enumerate(ages):
            village = town.villages[n % len(town.villages)]
            category = rng.choice(list(CATEGORY_WEIGHTS))
            at = _office(self.now - dt.timedelta(days=days), rng)
            at = min(at, self.now - dt.timedelta(minutes=30))
            issue = texts.issue_draw(
                rng, category=category, locale=town.locale(village), when=at.date()
            )
            spec = self._spec(town, village, issue, at)
            if n % 2 == 0:
                spec.channel, spec.submitter, spec.deputy = CH.PORTAL, cast.citizen, None
                spec.name = spec.phone = ""
            else:
                spec.channel, spec.submitter, spec.deputy = CH.DEPUTY, None, cast.deputy
            # Two replies given in the past days wait for the personas' rating; one case
            # has sat with its unit past the deadline (the inbox's 已超期).
            spec.scripted = {16: "wait_rating", 9: "wait_rating", 35: "stuck"}.get(days, "persona")

    # --- the timeline -------------------------------------------------------------------

    def run(self, clock: Clock) -> None:
        lives = [(spec.at, spec.index, self._life(spec)) for spec in self.specs]
        timeline_run(clock, lives, until=self.now)

    def _submit(self, spec: Spec) -> Case:
        cast = self.cast
        town = spec.town
        if spec.submitter is not None:
            actor = spec.submitter
        elif spec.deputy is not None and spec.deputy.user_id:
            actor = spec.deputy.user
        elif spec.channel == CH.HOTLINE:
            actor = cast.hotline_clerk
        elif spec.channel in (CH.RECEPTION_DAY, CH.DEPUTY, CH.ACTIVITY):
            actor = town.station_clerk
        elif spec.channel == CH.CONSULTATION:
            actor = cast.clerks[town.congress.pk]
        else:
            actor = None  # the public portal, without an account
        rng = random.Random(f"{self.seed}-address-{spec.index}")
        slots = spec.issue.slots
        address = ""
        if spec.channel in (CH.PORTAL, CH.HOTLINE) and rng.random() < 0.4:
            address = f"{town.region.name}{spec.village.name}{slots['road']}{rng.randint(1, 300)}号"
        return services.case_submit(
            actor=actor,
            title=spec.title,
            content=spec.content,
            category=self.categories[spec.issue.category],
            region=spec.village,
            grid=cast.grids.get(spec.village.pk),
            channel=spec.channel,
            address=address,
            submitter_name=spec.name,
            submitter_phone=spec.phone,
            collected_by=spec.deputy,
            is_public=rng.random() < (0.4 if spec.channel == CH.PORTAL else 0.15),
        )

    def _life(self, spec: Spec) -> Iterator[dt.datetime]:
        """One case from submission to its last step before `now`. Each `yield` hands back
        the moment of the next step; the scheduler resumes here with the clock set to it."""
        rng = random.Random(f"{self.seed}-life-{spec.index}")
        cast, now = self.cast, timezone.now
        # The personas' cases move briskly, so the ones meant to wait for a rating get there.
        quick = 0.25 if spec.scripted else 1.0
        case = self._submit(spec)
        self.cases[spec.index] = case
        yield _later(now(), rng, 0.05 * quick, 1.5 * quick)
        clerk = cast.clerks[spec.town.congress.pk]

        # Triage: repeats are merged into the open case they repeat.
        original = spec.repost_of if spec.repost_of is not None else spec.follows
        if original is not None and (spec.repost_of is not None or rng.random() < 0.75):
            target = self.cases.get(original)
            if target is not None:
                target.refresh_from_db(fields=["state", "congress"])
                if target.state in Case.OPEN_STATES:
                    services.case_merge(
                        case=case,
                        actor=cast.clerk_reaching(case.congress, target.congress),
                        version=case.version,
                        into=target,
                        note=texts.REPOST_NOTE if spec.repost_of is not None else texts.MERGE_NOTE,
                    )
                    return
                if spec.repost_of is not None:
                    services.case_reject(
                        case=case, actor=clerk, version=case.version, reason="与已办结事项重复。"
                    )
                    return
        if not spec.scripted and rng.random() < 0.04:
            reason = rng.choice(texts.REJECT_REASONS[:4])
            services.case_reject(case=case, actor=clerk, version=case.version, reason=reason)
            return
        services.case_accept(case=case, actor=clerk, version=case.version)

        # Routing: the usual unit most of the time, elsewhere sometimes.
        category = spec.issue.category
        usual = cast.route_for(category, spec.town, seed=self.seed)
        route = usual
        if not spec.scripted and rng.random() < 0.2:
            route = cast.other_route(usual, category, spec.town, rng)
        if route.level != "town":
            yield _later(now(), rng, 0.3, 2)
            note = rng.choice(texts.ESCALATE_NOTES)
            services.case_escalate(case=case, actor=clerk, version=case.version, note=note)
            clerk = cast.clerks[case.congress_id]
            if route.level == "city":
                yield _later(now(), rng, 0.5, 2.5)
                note = "需市级部门统筹解决，上报。"
                services.case_escalate(case=case, actor=clerk, version=case.version, note=note)
                clerk = cast.clerks[case.congress_id]
            elif rng.random() < 0.1:
                # The county finds it is the town's after all: 下转.
                yield _later(now(), rng, 0.5, 2)
                services.case_send_down(
                    case=case,
                    actor=clerk,
                    version=case.version,
                    to_congress=spec.town.congress,
                    note=rng.choice(texts.SEND_DOWN_NOTES),
                )
                clerk = cast.clerks[spec.town.congress.pk]
                route = Route("town", spec.town.government)
        yield _later(now(), rng, 0.2 * quick, 2.5 * quick)
        tier = rng.choices(list(URGENCY_WEIGHTS), weights=list(URGENCY_WEIGHTS.values()))[0]
        urgency = self.urgency["一般" if spec.scripted else tier]
        lead = route.unit
        # A wrong first address now and then: the unit returns it, the clerk sends it on.
        if not spec.scripted and route.level != "town" and rng.random() < 0.07:
            others = [u for u in cast.departments_for(route.level, spec.town) if u != lead]
            lead = rng.choice(others) if others else lead
        co_units = []
        if route.level != "town" and rng.random() < 0.08:
            units = cast.departments_for(route.level, spec.town)
            others = [u for u in units if u not in (lead, route.unit)]
            co_units = rng.sample(others, k=min(1, len(others)))
        services.case_assign(
            case=case,
            actor=clerk,
            version=case.version,
            lead_unit=lead,
            urgency=urgency,
            co_units=co_units,
            note=rng.choice(texts.ASSIGN_NOTES),
        )
        assigned = now()
        if lead != route.unit:
            yield _later(now(), rng, 0.5, 2)
            reason = texts.RETURN_REASONS[0].format(other=route.unit.name)
            services.case_return(
                case=case, actor=cast.handlers[lead.pk], version=case.version, reason=reason
            )
            yield _later(now(), rng, 0.3, 1.5)
            services.case_assign(
                case=case,
                actor=clerk,
                version=case.version,
                lead_unit=route.unit,
                urgency=urgency,
                note="已核实，改交主责单位办理。",
            )
            assigned, lead = now(), route.unit
        handler = cast.handlers[lead.pk]
        days = urgency.working_days
        yield _later(now(), rng, 0.02, min(2, days * 0.5) * quick)
        services.case_sign(case=case, actor=handler, version=case.version)

        # Some are slow: extended, put under supervision, reminded when overdue.
        slow = spec.scripted == "stuck" or (not spec.scripted and rng.random() < 0.2)
        if spec.scripted == "stuck":
            reply_in = days * 10  # not before the demo's `now`
        elif spec.scripted:
            reply_in = rng.uniform(0.5, 2)
        elif slow:
            reply_in = rng.uniform(days + 3, days + 25)
        else:
            reply_in = rng.uniform(0.3, 0.95) * days
        if not spec.scripted and days >= 15 and rng.random() < 0.05:
            yield _later(now(), rng, days * 0.4, days * 0.6)
            # The deadline day is the last one a request is in time.
            if case.deadline is not None and case.deadline >= timezone.localdate():
                extend = rng.randint(5, 15)
                services.case_extend_request(
                    case=case,
                    actor=handler,
                    version=case.version,
                    days=extend,
                    reason=rng.choice(texts.EXTENSION_REASONS),
                )
                yield _later(now(), rng, 0.2, 1)
                if rng.random() < 0.8:
                    services.case_extend_approve(case=case, actor=clerk, version=case.version)
                    reply_in = min(reply_in, days + extend * 0.9)
                else:
                    note = "请按原期限办结。"
                    services.case_extend_refuse(
                        case=case, actor=clerk, version=case.version, note=note
                    )
        if slow and not spec.scripted and rng.random() < 0.3:
            yield _later(now(), rng, 1, 4)
            key = rng.random() < 0.3
            services.case_supervise(
                case=case,
                actor=cast.leader if key else clerk,
                version=case.version,
                level=Case.Supervision.KEY if key else Case.Supervision.SUPERVISED,
                lead_leader=cast.leader if key else None,
                note="群众反映集中，请加快办理。",
            )
        reply_at = _later(assigned, rng, reply_in, reply_in)
        if slow and case.deadline is not None:
            missed = dt.datetime.combine(case.deadline, dt.time(9, 0), tzinfo=TZ) + DAY
            reminded = _office(missed, rng)
            if now() < reminded < reply_at:
                yield reminded
                if case.deadline < timezone.localdate():
                    services.case_remind(case=case, actor=None, version=case.version)
        rounds = 0
        while True:
            yield max(reply_at, now())
            result = rng.choices(["solved", "planned", "explained"], weights=[60, 25, 15])[0]
            answer = texts.reply_text(
                rng, spec.issue, result_class=result, unit=lead.name, when=timezone.localdate()
            )
            services.case_reply(
                case=case, actor=handler, version=case.version, result_class=result, reply=answer
            )
            if spec.scripted == "wait_rating":
                return
            rater = spec.submitter
            if rater is None and spec.deputy is not None and spec.deputy.user_id:
                rater = spec.deputy.user
            if (rater is None and not spec.phone) or rng.random() < 0.12:
                # Nobody rates it: the system closes it when the rating window has passed.
                yield now() + dt.timedelta(days=15, hours=rng.uniform(2, 30))
                services.case_close_unrated(case=case, version=case.version)
                return
            yield now() + dt.timedelta(hours=rng.uniform(3, 24 * 8))
            weights = RATING_WEIGHTS[result] if not rounds else (60, 35, 5)
            rating = rng.choices(list(Case.Rating.values), weights=weights)[0]
            if rounds >= 2 and rating == Case.Rating.UNSATISFIED:
                rating = Case.Rating.BASICALLY_SATISFIED
            services.case_rate(
                case=case,
                actor=rater,
                version=case.version,
                rating=rating,
                note=rng.choice(texts.RATING_NOTES[rating]),
                phone_last4="" if rater else spec.phone[-4:],
            )
            if rating != Case.Rating.UNSATISFIED:
                return
            # 重办: the unit works on it again and answers within a few weeks.
            rounds += 1
            reply_at = _later(now(), rng, 3, 15)


def messages_backdate(now: dt.datetime) -> None:
    """Give every case message the time of the event it tells of, and mark read what its
    recipient would long have read (older than two weeks)."""
    event_time = CaseEvent.objects.filter(pk=OuterRef("event_id")).values("created_at")[:1]
    Message.objects.filter(event__isnull=False).update(created_at=Subquery(event_time))
    Message.objects.filter(read_at__isnull=True, created_at__lt=now - dt.timedelta(days=14)).update(
        read_at=F("created_at") + dt.timedelta(hours=5)
    )


def demo_cases_seed(*, seed: int, count: int, now: dt.datetime | None = None) -> int:
    """Make `count` (about) cases over the year before `now`; returns how many were made."""
    now = now or timezone.now()
    rng = random.Random(f"cast-{seed}")
    taken = set(User.objects.exclude(phone="").values_list("phone", flat=True))
    taken |= set(Deputy.objects.values_list("phone", flat=True))
    phones = PhonePool(rng, taken)
    cast = cast_load(rng=rng, citizens=max(5, count // 60), phones=phones)
    seeder = Seeder(cast=cast, seed=seed, now=now, count=count)
    seeder.plan(phones)
    clock = Clock()
    with clock_running(clock):
        seeder.run(clock)
    transaction.on_commit(lambda: messages_backdate(now))
    return len(seeder.cases)
