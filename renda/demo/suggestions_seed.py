"""A year of deputies' suggestions (代表建议) for the demo city, made through the services of
`renda.suggestions.services` and the case services they stand on.

The city congress holds its annual session (第N次会议 of the current term) early in the
year: most suggestions are filed during its few days and numbered in it; the others are filed
between sessions over the year. Each is confirmed by its co-signers, reviewed by the city
clerk (立案, or now and then 不予立案 and handled as an ordinary opinion), assigned to a
department of the city with the statutory three months, sometimes with a co-unit whose view
comes first, answered A, B or C, and rated by its deputy; 不满意 sends it back, and some
B-class promises are kept. A few suggestions go to the county congress of the demo's deputy
account, who leads some of them.

The clock moves as in `renda.demo.cases_seed` (its `Clock`): each suggestion's life yields
the moment of its next step, and steps after `now` never happen, so the recent ones are
still in hand. Lead deputies and co-signers need accounts: the seed gives a pool of serving
deputies accounts of record (unusable passwords), as the cases seed does for clerks.
"""

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from renda.accounts.models import User
from renda.accounts.services import user_create
from renda.cases import services as case_services
from renda.cases.models import Case, Category, UrgencyTier
from renda.demo import suggestion_texts as texts
from renda.demo.cases_cast import CATEGORY_UNITS
from renda.demo.cases_seed import (
    TZ,
    Clock,
    _later,
    _office,
    clock_running,
    messages_backdate,
    timeline_run,
)
from renda.deputies.models import Deputy, Term
from renda.org.models import Membership, OrgUnit
from renda.org.roles import Role
from renda.org.services import membership_grant
from renda.suggestions import services
from renda.suggestions.models import CongressSession, Suggestion

R = Case.Rating
DAY = dt.timedelta(days=1)
# Share of suggestions filed during the session; the rest between sessions.
IN_SESSION = 0.7
# Answer classes, per hundred (A 已解决或采纳, B 列入计划, C 留作参考).
CLASS_WEIGHTS = {"A": 60, "B": 30, "C": 10}
# 满意 / 基本满意 / 不满意, per hundred, by answer class.
RATING_WEIGHTS = {"A": (78, 20, 2), "B": (50, 42, 8), "C": (25, 55, 20)}
COSIGNER_WEIGHTS = (35, 30, 20, 15)  # none, one, two, three


@dataclass
class Congress:
    """One congress's side of the seed: who files, who reviews, where it goes."""

    unit: OrgUnit
    clerk: User
    deputies: list[Deputy]  # serving, with accounts
    departments: list[OrgUnit]
    handlers: dict[int, User]
    session: CongressSession | None = None


@dataclass
class Spec:
    index: int
    at: dt.datetime
    congress: Congress
    topic: texts.Topic
    lead: Deputy
    cosigners: list[Deputy] = field(default_factory=list)
    in_session: bool = False


def _account_of_record(username: str, full_name: str, role: str, unit: OrgUnit) -> User:
    user = user_create(username=username, password=None, full_name=full_name, validate=False)
    membership_grant(user=user, role=role, unit=unit)
    return user


def _deputies_with_accounts(
    congress: OrgUnit, today: dt.date, wanted: int, rng: random.Random
) -> list[Deputy]:
    """`wanted` serving deputies of `congress` who can sign in: those who have an account,
    then others given one (a deputy membership in the congress, an unusable password)."""
    serving = list(
        Deputy.objects.filter(seats__in=services.serving_seats(congress, today))
        .distinct()
        .order_by("pk")
    )
    with_user = [d for d in serving if d.user_id]
    without = [d for d in serving if not d.user_id]
    rng.shuffle(without)
    picked = without[: max(0, wanted - len(with_user))]
    for n, deputy in enumerate(picked, start=1):
        user = user_create(
            username=f"deputy-{congress.code.lower()}-{n:03d}",
            password=None,
            full_name=deputy.name,
            phone=deputy.phone,
            validate=False,
        )
        membership_grant(user=user, role=Role.DEPUTY, unit=congress)
        deputy.user = user
        deputy.save(update_fields=["user"])
    return with_user + picked


def _congress(unit: OrgUnit, today: dt.date, wanted: int, rng: random.Random) -> Congress:
    memberships = Membership.objects.filter(is_active=True).select_related("user")
    clerk = next(
        (m.user for m in memberships.filter(role=Role.CONGRESS_CLERK, unit=unit)), None
    ) or _account_of_record(f"clerk-{unit.code.lower()}", "人大工作人员", Role.CONGRESS_CLERK, unit)
    departments = list(
        OrgUnit.objects.filter(
            kind=OrgUnit.Kind.HANDLING_UNIT,
            handling_kind=OrgUnit.HandlingKind.DEPARTMENT,
            region=unit.region,
            is_active=True,
        )
        .select_related("region")
        .order_by("path")
    )
    handlers = {
        m.unit_id: m.user
        for m in memberships.filter(role=Role.HANDLER, unit__in=departments).order_by("pk")
    }
    for dept in departments:
        if dept.pk not in handlers:
            handlers[dept.pk] = _account_of_record(
                f"handler-{dept.code.lower()}", "承办单位经办人", Role.HANDLER, dept
            )
    return Congress(
        unit=unit,
        clerk=clerk,
        deputies=_deputies_with_accounts(unit, today, wanted, rng),
        departments=departments,
        handlers=handlers,
    )


class SuggestionSeeder:
    def __init__(self, *, seed: int, now: dt.datetime, count: int) -> None:
        self.seed = seed
        self.now = now
        self.count = count
        self.rng = random.Random(f"suggestions-{seed}")
        self.categories = {c.name: c for c in Category.objects.filter(is_active=True)}
        self.specs: list[Spec] = []
        self.made: list[Suggestion] = []

    # --- planning -----------------------------------------------------------------------

    def _moment(self, start: dt.datetime, end: dt.datetime) -> dt.datetime:
        t = start + (end - start) * self.rng.random()
        return min(_office(t, self.rng), self.now - dt.timedelta(minutes=30))

    def session_open(self, congress: Congress, term: Term, clock: Clock) -> dt.datetime:
        """The annual session within the past year (mid-January to mid-February of the year
        that began at least four months ago), numbered from the term's first session and set
        up by the clerk a fortnight ahead; returns when the clerk closes it."""
        rng = random.Random(f"session-{self.seed}")
        year = (self.now - dt.timedelta(days=120)).year
        opens = max(dt.date(year, 1, 12) + DAY * rng.randint(0, 30), term.start_date)
        while opens.weekday() >= 5:
            opens += DAY
        closes = opens + DAY * rng.randint(3, 5)
        clock.now = _office(dt.datetime.combine(opens - 14 * DAY, dt.time(9), tzinfo=TZ), rng)
        congress.session = services.session_create(
            actor=congress.clerk,
            term=term,
            number=max(1, opens.year - term.start_date.year + 1),
            opens_on=opens,
            closes_on=closes,
        )
        return _office(dt.datetime.combine(closes + DAY, dt.time(9), tzinfo=TZ), rng)

    def _session_close(self, congress: Congress) -> Iterator[dt.datetime]:
        assert congress.session is not None
        services.session_close(actor=congress.clerk, session=congress.session)
        yield from ()

    def plan(self, city: Congress, county: Congress | None, persona: Deputy | None) -> None:
        rng = self.rng
        year_ago = self.now - dt.timedelta(days=365)
        session = city.session
        n_county = round(self.count * 0.1) if county is not None else 0
        for index in range(self.count):
            congress = county if county is not None and index < n_county else city
            assert congress is not None
            in_session = congress is city and session is not None and rng.random() < IN_SESSION
            if in_session:
                # A session sits through its weekend: any of its days, in working hours.
                assert session is not None
                days = (session.closes_on - session.opens_on).days
                day = session.opens_on + DAY * rng.randint(0, days)
                at = dt.datetime.combine(day, dt.time(9), tzinfo=TZ) + dt.timedelta(
                    minutes=rng.randint(0, 8 * 60)
                )
            else:
                # Between sessions: after the session (the months a demo shows), or before
                # it when there is none.
                since = year_ago
                if session is not None:
                    since = dt.datetime.combine(session.closes_on + DAY, dt.time(9), tzinfo=TZ)
                at = self._moment(max(since, year_ago), self.now - 2 * DAY)
            lead = rng.choice(congress.deputies)
            if congress is county and persona is not None and index % 3 == 0:
                lead = persona
            others = [d for d in congress.deputies if d.pk != lead.pk]
            k = rng.choices(range(4), weights=COSIGNER_WEIGHTS)[0]
            self.specs.append(
                Spec(
                    index=index,
                    at=at,
                    congress=congress,
                    topic=rng.choice(texts.TOPICS),
                    lead=lead,
                    cosigners=rng.sample(others, k=min(k, len(others))),
                    in_session=in_session,
                )
            )

    # --- the timeline -------------------------------------------------------------------

    def run(self, clock: Clock, *, city: Congress, session_closes: dt.datetime | None) -> None:
        lives = [(spec.at, spec.index, self._life(spec)) for spec in self.specs]
        if session_closes is not None:
            lives.append((session_closes, -1, self._session_close(city)))
        timeline_run(clock, lives, until=self.now)

    def _unit(self, congress: Congress, name: str) -> OrgUnit | None:
        return next((u for u in congress.departments if name and name in u.name), None)

    def _units(self, spec: Spec, rng: random.Random) -> tuple[OrgUnit, list[OrgUnit]]:
        congress, topic = spec.congress, spec.topic
        lead = self._unit(congress, topic.lead)
        for name in CATEGORY_UNITS.get(topic.category, ()):
            lead = lead or self._unit(congress, name)
        if lead is None:  # a small city lacks the department: the nearest one it has
            lead = rng.choice(congress.departments)
        co: list[OrgUnit] = []
        if rng.random() < 0.35:
            unit = self._unit(congress, topic.co) or rng.choice(congress.departments)
            if unit != lead:
                co.append(unit)
        return lead, co

    def _life(self, spec: Spec) -> Iterator[dt.datetime]:
        rng = random.Random(f"{self.seed}-suggestion-{spec.index}")
        now = timezone.now
        congress, topic, lead_user = spec.congress, spec.topic, spec.lead.user
        assert lead_user is not None
        s = services.suggestion_file(
            actor=lead_user,
            congress=congress.unit,
            session=congress.session if spec.in_session else None,
            title=topic.title,
            content=topic.content,
            category=self.categories[topic.category],
            cosigners=spec.cosigners,
        )
        self.made.append(s)
        for deputy in spec.cosigners:
            yield now() + dt.timedelta(hours=rng.uniform(1, 40))
            agree = rng.random() < 0.95
            services.suggestion_cosign(actor=deputy.user, suggestion=s, agree=agree)
        # The committee reviews a session's suggestions after it closes.
        start = now()
        if spec.in_session and congress.session is not None:
            closed = congress.session.closes_on + DAY
            start = max(start, dt.datetime.combine(closed, dt.time(9), tzinfo=TZ))
        yield _later(start, rng, 3, 12)
        clerk = congress.clerk
        case = Case.objects.get(pk=s.case_id)
        if rng.random() < 0.06:
            reason = rng.choice(texts.NOT_ACCEPTED_REASONS)
            services.suggestion_review(
                actor=clerk, suggestion=s, version=case.version, accept=False, reason=reason
            )
            yield from self._as_opinion(spec, s, rng)
            return
        services.suggestion_review(actor=clerk, suggestion=s, version=case.version, accept=True)
        yield _later(now(), rng, 1, 6)
        lead, co_units = self._units(spec, rng)
        case.refresh_from_db()
        services.suggestion_assign(
            actor=clerk,
            suggestion=s,
            version=case.version,
            lead_unit=lead,
            co_units=co_units,
            note=rng.choice(texts.ASSIGN_NOTES),
        )
        assigned = now()
        handler = congress.handlers[lead.pk]
        yield _later(now(), rng, 0.2, 3)
        case.refresh_from_db()
        case_services.case_sign(case=case, actor=handler, version=case.version)
        for unit in co_units:
            yield _later(now(), rng, 8, 30)
            content = texts.CO_VIEW.format(co=unit.name, area=topic.category)
            services.suggestion_co_view(
                actor=congress.handlers[unit.pk], suggestion=s, content=content
            )
        # Most answer within the three months (about 63 working days), a few are late; a
        # complex one is extended by the congress first.
        answer_in = rng.uniform(20, 60) if rng.random() < 0.9 else rng.uniform(64, 75)
        if rng.random() < 0.06:
            yield _later(assigned, rng, 40, 50)
            case.refresh_from_db()
            s.refresh_from_db(fields=["assigned_on"])
            limit = services.complex_limit(s)
            if case.state in Case.RUNNING_STATES and limit and case.deadline < limit:
                services.suggestion_extend(
                    actor=clerk,
                    suggestion=s,
                    version=case.version,
                    until=limit,
                    reason=rng.choice(texts.EXTENSION_REASONS),
                )
                answer_in = rng.uniform(70, 110)
        yield max(_later(assigned, rng, answer_in, answer_in), now())
        yield from self._answered(spec, s, lead, rng)

    def _answered(
        self, spec: Spec, s: Suggestion, lead: OrgUnit, rng: random.Random
    ) -> Iterator[dt.datetime]:
        now = timezone.now
        congress, topic = spec.congress, spec.topic
        handler = congress.handlers[lead.pk]
        answer_class = rng.choices(list(CLASS_WEIGHTS), weights=list(CLASS_WEIGHTS.values()))[0]
        words = {
            "name": spec.lead.name,
            "title": topic.title,
            "done": topic.done,
            "promise": topic.promise,
            "area": topic.category,
            "unit": lead.name,
        }
        template = {"A": texts.REPLY_A, "B": texts.REPLY_B, "C": texts.REPLY_C}[answer_class]
        case = Case.objects.get(pk=s.case_id)
        due = timezone.localdate() + DAY * rng.randint(90, 300)
        services.suggestion_answer(
            actor=handler,
            suggestion=s,
            version=case.version,
            answer_class=answer_class,
            reply=template.format(**words),
            promise=topic.promise if answer_class == "B" else "",
            promise_due=due if answer_class == "B" else None,
        )
        rounds = 0
        while True:
            if rng.random() < 0.1:
                return  # not rated yet: it waits on the deputy's page
            yield now() + dt.timedelta(hours=rng.uniform(20, 24 * 15))
            weights = RATING_WEIGHTS[answer_class] if not rounds else (55, 45, 0)
            answer = rng.choices([R.SATISFIED, R.BASICALLY_SATISFIED, R.UNSATISFIED], weights)[0]
            contact = rng.choices([R.SATISFIED, R.BASICALLY_SATISFIED], weights=(80, 20))[0]
            case.refresh_from_db()
            services.suggestion_rate(
                actor=spec.lead.user,
                suggestion=s,
                version=case.version,
                answer=answer,
                contact=R.UNSATISFIED if answer == R.UNSATISFIED else contact,
                contact_before=rng.random() < 0.8,
                contact_during=rng.random() < 0.6,
                contact_after=rng.random() < 0.75,
                note=rng.choice(texts.RATING_NOTES[answer]),
            )
            if answer != R.UNSATISFIED:
                break
            # 重办: the lead unit answers again within the month it is given.
            rounds += 1
            yield _later(now(), rng, 5, 18)
            case.refresh_from_db()
            services.suggestion_answer(
                actor=handler,
                suggestion=s,
                version=case.version,
                answer_class="A" if answer_class == "A" else "B",
                reply=texts.REPLY_AGAIN.format(**words),
                promise=topic.promise,
                promise_due=timezone.localdate() + DAY * rng.randint(60, 200),
            )
            answer_class = "A" if answer_class == "A" else "B"
        if answer_class == "B":
            yield from self._promises_kept(spec, s, rng)

    def _promises_kept(self, spec: Spec, s: Suggestion, rng: random.Random):
        for promise in s.promises.filter(kept_at__isnull=True).order_by("pk"):
            if rng.random() < 0.55:
                continue
            yield max(
                _office(dt.datetime.combine(promise.due_on, dt.time(9), tzinfo=TZ), rng)
                - DAY * rng.randint(0, 60),
                timezone.now() + DAY,
            )
            services.promise_keep(
                actor=spec.congress.clerk, promise=promise, note=rng.choice(texts.KEPT_NOTES)
            )

    def _as_opinion(self, spec: Spec, s: Suggestion, rng: random.Random):
        """不予立案: the clerk takes it in as an ordinary opinion and sends it to the unit."""
        now = timezone.now
        clerk = spec.congress.clerk
        yield _later(now(), rng, 0.2, 2)
        case = Case.objects.get(pk=s.case_id)
        case_services.case_accept(case=case, actor=clerk, version=case.version)
        lead, _ = self._units(spec, rng)
        yield _later(now(), rng, 0.5, 2)
        case.refresh_from_db()
        urgency = UrgencyTier.objects.filter(name="一般").first()
        note = "转为民情意见，请按期办理。"
        case_services.case_assign(
            case=case, actor=clerk, version=case.version, lead_unit=lead, urgency=urgency, note=note
        )
        handler = spec.congress.handlers[lead.pk]
        yield _later(now(), rng, 0.2, 2)
        case.refresh_from_db()
        case_services.case_sign(case=case, actor=handler, version=case.version)
        yield _later(now(), rng, 3, 12)
        case.refresh_from_db()
        reply = texts.REPLY_A.format(
            name=spec.lead.name,
            title=spec.topic.title,
            done=spec.topic.done,
            area=spec.topic.category,
            unit=lead.name,
        )
        case_services.case_reply(
            case=case, actor=handler, version=case.version, result_class="solved", reply=reply
        )
        yield now() + dt.timedelta(hours=rng.uniform(20, 24 * 10))
        case.refresh_from_db()
        case_services.case_rate(
            case=case, actor=spec.lead.user, version=case.version, rating=R.SATISFIED
        )


def demo_suggestions_seed(*, seed: int, count: int, now: dt.datetime | None = None) -> int:
    """Make `count` suggestions over the year before `now` in the seeded demo city (a tenth
    of them in the county congress of the `deputy` account); returns how many were filed."""
    now = now or timezone.now()
    today = now.astimezone(TZ).date()
    rng = random.Random(f"suggestion-cast-{seed}")
    units = OrgUnit.objects.filter(kind=OrgUnit.Kind.CONGRESS).select_related("region")
    city_unit = units.get(region__level="city")
    city = _congress(city_unit, today, max(6, count // 2), rng)
    persona = Deputy.objects.filter(user__username="deputy").first()
    county = None
    if persona is not None and count >= 10:
        county_unit = units.filter(terms__seats__deputy=persona, region__level="county").first()
        if county_unit is not None:
            county = _congress(county_unit, today, max(4, count // 10), rng)
    term = (
        Term.objects.filter(congress=city_unit, start_date__lte=today)
        .order_by("-start_date")
        .first()
    )
    seeder = SuggestionSeeder(seed=seed, now=now, count=count)
    clock = Clock()
    with clock_running(clock):
        closes = seeder.session_open(city, term, clock) if term is not None else None
        seeder.plan(city, county, persona)
        seeder.run(clock, city=city, session_closes=closes)
    # After the cases seed's: the suggestions' messages get their events' times too.
    transaction.on_commit(lambda: messages_backdate(now))
    return len(seeder.made)
