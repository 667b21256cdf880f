"""The suggestion services, one step at a time, with the bad input of issue 6."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from renda.cases.models import Assignment, Case, CaseEvent
from renda.cases.services import case_reply, case_sign, case_supervise
from renda.suggestions import services
from renda.suggestions.models import CongressSession, CoSigner, Promise, Suggestion
from renda.suggestions.tests.helpers import answered, assigned, file, open_session

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def test_it_files_a_numbered_suggestion_with_cosigners(personas, c):
    s = file(personas, c)
    assert s.case.kind == Case.Kind.SUGGESTION and s.case.code == "JY2026-000001"
    assert s.case.congress == c.congress and s.case.state == Case.State.SUBMITTED
    assert s.lead_deputy == personas.deputies["deputy"]
    assert s.label == "2026年闭会期间第1号建议"
    assert [x.state for x in s.cosigners.all()] == ["pending", "pending"]
    assert file(personas, c, cosigners=[]).number == 2


def test_it_numbers_per_session(personas, c):
    session = open_session(personas, c)
    first = file(personas, c, session=session)
    file(personas, c)  # between sessions: its own sequence
    second = file(personas, c, session=session)
    assert (first.number, second.number) == (1, 2)
    assert second.label == "第3次会议第2号建议"


def test_it_refuses_a_cosigner_who_is_not_a_deputy_of_that_congress(personas, c):
    with pytest.raises(ValidationError, match="“王西山”不是东湖区人大常委会的在任代表，不能联名"):
        file(personas, c, cosigners=[c.cosigners[0], personas.deputies["other"]])
    assert not Case.objects.exists() and not Suggestion.objects.exists()
    assert not CoSigner.objects.exists()


def test_it_refuses_a_suggestion_filed_after_the_session_closed(personas, c):
    session = open_session(personas, c)
    services.session_close(actor=personas.county_clerk, session=session)
    with pytest.raises(ValidationError, match=r"已于2026年09月17日闭幕.*闭会期间"):
        file(personas, c, session=session)
    assert not Case.objects.exists() and not Suggestion.objects.exists()


def test_it_refuses_a_session_past_its_closing_day(personas, c, clock):
    session = open_session(personas, c)
    clock.move_to(dt.datetime(2026, 9, 18, 9, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    with pytest.raises(ValidationError, match="闭幕"):
        file(personas, c, session=session)
    assert not Case.objects.exists()


def test_only_a_serving_deputy_of_the_congress_files(personas, c):
    with pytest.raises(PermissionDenied, match="在任代表"):
        file(personas, c, actor=personas.citizen)
    with pytest.raises(PermissionDenied, match="在任代表"):
        file(personas, c, congress=personas.units["other_county"], cosigners=[])


def test_a_motion_needs_ten_signers_at_county_level(personas, c):
    with pytest.raises(ValidationError, match="10名以上代表联名"):
        file(personas, c, kind=Case.Kind.MOTION)
    assert not Case.objects.exists()


def test_cosigners_confirm_once_and_review_waits_for_them(personas, c):
    s = file(personas, c)
    services.suggestion_cosign(actor=c.cosigner_users[0], suggestion=s, agree=True)
    with pytest.raises(ValidationError, match="不能重复确认"):
        services.suggestion_cosign(actor=c.cosigner_users[0], suggestion=s, agree=False)
    with pytest.raises(PermissionDenied, match="不是该建议的联名代表"):
        services.suggestion_cosign(actor=personas.deputy, suggestion=s, agree=True)
    s.case.refresh_from_db()
    with pytest.raises(ValidationError, match="联名代表孙代表尚未确认"):
        services.suggestion_review(
            actor=personas.county_clerk, suggestion=s, version=s.case.version, accept=True
        )
    services.suggestion_cosign(actor=c.cosigner_users[1], suggestion=s, agree=False)
    services.suggestion_review(
        actor=personas.county_clerk, suggestion=s, version=s.case.version, accept=True
    )
    s.refresh_from_db()
    assert s.review == Suggestion.Review.ACCEPTED and s.case.state == Case.State.ACCEPTED
    assert list(s.case.events.values_list("action", flat=True)) == [
        "submit",
        "cosign",
        "cosign",
        "review_accept",
    ]


def test_not_accepted_becomes_an_ordinary_opinion_with_the_reason(personas, c):
    s = file(personas, c, cosigners=[])
    with pytest.raises(ValidationError, match="请填写不予立案理由"):
        services.suggestion_review(
            actor=personas.county_clerk, suggestion=s, version=1, accept=False
        )
    services.suggestion_review(
        actor=personas.county_clerk,
        suggestion=s,
        version=1,
        accept=False,
        reason="属于具体个案诉求，转为民情意见办理。",
    )
    s.refresh_from_db()
    assert s.review == Suggestion.Review.NOT_ACCEPTED
    assert s.case.kind == Case.Kind.OPINION and s.case.state == Case.State.SUBMITTED
    # Now the opinion loop takes it in.
    from renda.cases.services import case_accept

    case_accept(case=s.case, actor=personas.county_clerk, version=s.case.version)


def test_review_is_the_congress_clerks(personas, c):
    s = file(personas, c, cosigners=[])
    for user in (personas.other_county_clerk, personas.town_clerk, personas.deputy):
        with pytest.raises(PermissionDenied):
            services.suggestion_review(actor=user, suggestion=s, version=1, accept=True)
    # The opinion loop's own accept does not apply to a suggestion.
    from renda.cases.services import case_accept

    with pytest.raises(PermissionDenied, match="代表建议不能受理"):
        case_accept(case=s.case, actor=personas.county_clerk, version=1)


def test_it_assigns_with_the_statutory_deadline(personas, c):
    s = assigned(personas, c)
    s.case.refresh_from_db()
    assert s.assigned_on == dt.date(2026, 9, 15)
    assert s.case.deadline == dt.date(2026, 12, 15) and s.case.state == Case.State.ASSIGNED
    rows = list(s.case.assignments.values_list("unit__name", "role", "deadline"))
    assert rows == [
        ("东湖区住房和城乡建设局", "lead", dt.date(2026, 12, 15)),
        ("东湖街道办事处", "co", dt.date(2026, 12, 15)),
    ]


def test_months_later_follows_the_work_calendar():
    # 2026-11-21 + 3 months is Sunday 2027-02-21: the next working day.
    assert services.months_later(dt.date(2026, 11, 21), 3).weekday() < 5
    assert services.months_later(dt.date(2026, 8, 31), 3) == dt.date(2026, 11, 30)


def test_it_refuses_an_extension_past_six_months(personas, c):
    s = assigned(personas, c)
    s.case.refresh_from_db()
    version = s.case.version
    with pytest.raises(ValidationError, match="不能超过交办之日起6个月（2027年03月15日）"):
        services.suggestion_extend(
            actor=personas.county_clerk,
            suggestion=s,
            version=version,
            until=dt.date(2027, 3, 16),
            reason="涉及多部门，情况复杂。",
        )
    s.case.refresh_from_db()
    assert s.case.deadline == dt.date(2026, 12, 15) and s.case.version == version
    services.suggestion_extend(
        actor=personas.county_clerk,
        suggestion=s,
        version=version,
        until=dt.date(2027, 3, 15),
        reason="涉及多部门，情况复杂。",
    )
    s.refresh_from_db()
    assert s.is_complex and s.case.deadline == dt.date(2027, 3, 15)
    assert set(s.case.assignments.values_list("deadline", flat=True)) == {dt.date(2027, 3, 15)}


def test_the_lead_answers_only_after_the_co_unit_view(personas, c):
    s = assigned(personas, c)
    s.case.refresh_from_db()
    case_sign(case=s.case, actor=c.lead_handler, version=s.case.version)
    s.case.refresh_from_db()
    with pytest.raises(ValidationError, match=r"东湖街道办事处.*尚未提出协办意见"):
        services.suggestion_answer(
            actor=c.lead_handler, suggestion=s, version=s.case.version, answer_class="A", reply="x"
        )
    # Nor through the opinion loop's own reply (the case page).
    with pytest.raises(ValidationError, match="尚未提出协办意见"):
        case_reply(
            case=s.case,
            actor=c.lead_handler,
            version=s.case.version,
            result_class="solved",
            reply="x",
        )
    with pytest.raises(PermissionDenied):
        services.suggestion_co_view(actor=c.lead_handler, suggestion=s, content="x")
    view = services.suggestion_co_view(actor=c.co_handler, suggestion=s, content="配合协调。")
    assert view.assignment.unit == c.co_unit
    assert Assignment.objects.get(pk=view.assignment.pk).state == Assignment.State.REPLIED
    with pytest.raises(PermissionDenied):
        services.suggestion_co_view(actor=c.co_handler, suggestion=s, content="again")


def test_a_b_class_answer_needs_its_promise(personas, c):
    s = assigned(personas, c)
    services.suggestion_co_view(actor=c.co_handler, suggestion=s, content="配合协调。")
    s.case.refresh_from_db()
    case_sign(case=s.case, actor=c.lead_handler, version=s.case.version)
    s.case.refresh_from_db()
    with pytest.raises(ValidationError, match="请填写承诺事项"):
        services.suggestion_answer(
            actor=c.lead_handler, suggestion=s, version=s.case.version, answer_class="B", reply="x"
        )
    with pytest.raises(ValidationError, match="计划完成日期"):
        services.suggestion_answer(
            actor=c.lead_handler,
            suggestion=s,
            version=s.case.version,
            answer_class="B",
            reply="x",
            promise="明年完成",
        )
    assert not Promise.objects.exists()
    s.case.refresh_from_db()
    assert s.case.state == Case.State.HANDLING


def test_b_class_answer_rating_and_promise_kept(personas, c):
    s = answered(personas, c, answer_class="B")
    s.refresh_from_db()
    assert s.case.state == Case.State.REPLIED and s.answer_class == "B"
    promise = Promise.objects.get()
    assert promise.unit == c.lead_unit and promise.kept_at is None
    rating = services.suggestion_rate(
        actor=personas.deputy,
        suggestion=s,
        version=s.case.version,
        answer="satisfied",
        contact="basically_satisfied",
        contact_before=True,
        contact_after=True,
    )
    s.case.refresh_from_db()
    assert s.case.state == Case.State.CLOSED and s.case.rating == "satisfied"
    assert (rating.round, rating.contact, rating.contact_during) == (
        1,
        "basically_satisfied",
        False,
    )
    with pytest.raises(PermissionDenied):
        services.promise_keep(actor=c.lead_handler, promise=promise, note="已完成")
    with pytest.raises(ValidationError, match="请填写兑现情况"):
        services.promise_keep(actor=personas.county_clerk, promise=promise, note=" ")
    services.promise_keep(actor=personas.county_clerk, promise=promise, note="5个小区电梯已投用。")
    promise.refresh_from_db()
    assert promise.kept_at is not None and promise.kept_by == personas.county_clerk
    with pytest.raises(ValidationError, match="已于"):
        services.promise_keep(actor=personas.county_clerk, promise=promise, note="again")
    assert CaseEvent.objects.filter(case=s.case, action="promise_keep").count() == 1


def test_unsatisfied_sends_it_back_to_the_lead_unit(personas, c):
    s = answered(personas, c, answer_class="C")
    s.case.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.suggestion_rate(
            actor=c.cosigner_users[0],
            suggestion=s,
            version=s.case.version,
            answer="satisfied",
            contact="satisfied",
        )
    services.suggestion_rate(
        actor=personas.deputy,
        suggestion=s,
        version=s.case.version,
        answer="unsatisfied",
        contact="unsatisfied",
        note="答复敷衍。",
    )
    s.case.refresh_from_db()
    assert s.case.state == Case.State.HANDLING and s.case.unsatisfied_count == 1
    assert s.case.deadline == dt.date(2026, 10, 15)
    again = s.case.assignments.get(state=Assignment.State.SIGNED)
    assert again.unit == c.lead_unit and again.round == 2
    # The lead answers again (no co-unit is waiting) and the deputy rates round 2.
    services.suggestion_answer(
        actor=c.lead_handler,
        suggestion=s,
        version=s.case.version,
        answer_class="A",
        reply="已重新研究并解决。",
    )
    s.case.refresh_from_db()
    r = services.suggestion_rate(
        actor=personas.deputy,
        suggestion=s,
        version=s.case.version,
        answer="satisfied",
        contact="satisfied",
    )
    assert r.round == 2 and s.ratings.count() == 2


def test_key_supervision_and_lead_by_reuse_the_cases_service(personas, c):
    s = assigned(personas, c)
    s.case.refresh_from_db()
    case_supervise(
        case=s.case,
        actor=personas.leader,
        version=s.case.version,
        level=Case.Supervision.KEY,
        lead_leader=personas.leader,
    )
    s.case.refresh_from_db()
    assert s.case.supervision == "key" and s.case.lead_leader == personas.leader


def test_a_motion_not_on_the_agenda_becomes_a_suggestion(personas, c):
    from renda.accounts.services import user_create
    from renda.deputies.models import Deputy, Seat
    from renda.org.roles import Role
    from renda.org.services import membership_grant

    more = []
    for i in range(8):
        user = user_create(username=f"d{i}", password="x", full_name=f"代表{i}", validate=False)
        membership_grant(user=user, role=Role.DEPUTY, unit=c.congress)
        d = Deputy.objects.create(name=f"代表{i}", gender="male", user=user)
        Seat.objects.create(deputy=d, term=c.term)
        more.append(d)
    file(personas, c)  # suggestion No. 1
    motion = file(personas, c, kind=Case.Kind.MOTION, cosigners=c.cosigners + more)
    assert motion.case.code.startswith("YA") and motion.number == 1
    assert motion.label == "2026年闭会期间第1号议案"
    with pytest.raises(ValidationError, match="请填写转为建议的理由"):
        services.motion_convert(
            actor=personas.county_clerk, suggestion=motion, version=1, reason=""
        )
    services.motion_convert(
        actor=personas.county_clerk, suggestion=motion, version=1, reason="未列入大会议程。"
    )
    motion.refresh_from_db()
    assert motion.kind == "suggestion" and motion.case.kind == "suggestion"
    assert motion.number == 2 and motion.review == "pending"


def test_sessions_are_the_congress_clerks(personas, c):
    today = dt.date(2026, 9, 15)
    with pytest.raises(PermissionDenied):
        services.session_create(
            actor=personas.other_county_clerk,
            term=c.term,
            number=1,
            opens_on=today,
            closes_on=today,
        )
    with pytest.raises(ValidationError, match="闭幕日期不能早于开幕日期"):
        services.session_create(
            actor=personas.county_clerk,
            term=c.term,
            number=1,
            opens_on=today,
            closes_on=today - dt.timedelta(days=1),
        )
    assert not CongressSession.objects.exists()


def test_a_suggestion_becomes_a_committee_agenda_item(personas, c):
    from renda.cases.services import case_convert_to_agenda

    s = assigned(personas, c)
    s.case.refresh_from_db()
    case_convert_to_agenda(
        case=s.case, actor=personas.county_clerk, version=s.case.version, title="老旧小区改造专题"
    )
    s.case.refresh_from_db()
    assert s.case.agenda_item == "老旧小区改造专题" and s.case.state == Case.State.ASSIGNED
