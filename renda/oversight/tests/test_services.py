"""evaluation_create / _open / _close and score_cast."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from renda.oversight import services
from renda.oversight.models import Evaluation, EvaluationRater, Score
from renda.oversight.tests.helpers import full_sheet, make_evaluation

pytestmark = pytest.mark.django_db


def test_it_creates_a_draft_with_subjects_and_raters(personas):
    evaluation = make_evaluation(personas, open_it=False)
    assert evaluation.status == Evaluation.Status.DRAFT
    assert [s.name for s in evaluation.subjects.all()] == ["东湖街道办事处", "老旧小区加装电梯整改"]
    rater = evaluation.raters.get()
    assert rater.deputy == personas.deputies["deputy"]
    assert rater.user == personas.deputy


def test_it_refuses_no_subject_no_rater_and_deputy_without_account(personas):
    base = {
        "actor": personas.town_clerk,
        "congress": personas.units["town"],
        "title": "测评",
        "opens_on": dt.date(2026, 11, 1),
        "closes_on": dt.date(2026, 11, 30),
    }
    with pytest.raises(ValidationError, match="测评对象"):
        services.evaluation_create(**base, rater_deputies=[personas.deputies["deputy"]])
    with pytest.raises(ValidationError, match="测评人"):
        services.evaluation_create(**base, subject_items=["事项"])
    with pytest.raises(ValidationError, match="没有平台账号"):
        services.evaluation_create(
            **base, subject_items=["事项"], rater_deputies=[personas.deputies["city"]]
        )
    with pytest.raises(ValidationError):
        services.evaluation_create(
            **{**base, "closes_on": dt.date(2026, 10, 1)},
            subject_items=["事项"],
            rater_deputies=[personas.deputies["deputy"]],
        )
    assert not Evaluation.objects.exists()


def test_it_opens_and_closes_once(personas):
    evaluation = make_evaluation(personas)
    assert evaluation.status == Evaluation.Status.OPEN
    with pytest.raises(ValidationError, match="草稿"):
        services.evaluation_open(actor=personas.town_clerk, evaluation=evaluation)
    evaluation = services.evaluation_close(actor=personas.town_clerk, evaluation=evaluation)
    assert evaluation.status == Evaluation.Status.CLOSED
    with pytest.raises(ValidationError, match="进行中"):
        services.evaluation_close(actor=personas.town_clerk, evaluation=evaluation)


def test_it_records_a_whole_sheet(personas):
    evaluation = make_evaluation(personas)
    services.score_cast(
        actor=personas.deputy, evaluation=evaluation, scores=full_sheet(evaluation, "basic", "好")
    )
    assert Score.objects.filter(value="basic", comment="好").count() == 2
    assert EvaluationRater.objects.get().submitted_at is not None


def test_it_refuses_a_second_score(personas):
    evaluation = make_evaluation(personas)
    services.score_cast(actor=personas.deputy, evaluation=evaluation, scores=full_sheet(evaluation))
    with pytest.raises(ValidationError, match="不能重复测评"):
        services.score_cast(
            actor=personas.deputy, evaluation=evaluation, scores=full_sheet(evaluation)
        )
    assert Score.objects.count() == 2


def test_it_refuses_a_partial_sheet_and_saves_nothing(personas):
    evaluation = make_evaluation(personas)
    first = evaluation.subjects.first()
    with pytest.raises(ValidationError, match="尚未评价：老旧小区加装电梯整改"):
        services.score_cast(
            actor=personas.deputy, evaluation=evaluation, scores={first.pk: ("satisfied", "")}
        )
    assert not Score.objects.exists()


def test_it_refuses_a_bad_value_and_saves_nothing(personas):
    evaluation = make_evaluation(personas)
    sheet = full_sheet(evaluation)
    sheet[evaluation.subjects.last().pk] = ("great", "")
    with pytest.raises(ValidationError):
        services.score_cast(actor=personas.deputy, evaluation=evaluation, scores=sheet)
    assert not Score.objects.exists()


def test_it_refuses_a_non_rater(personas):
    evaluation = make_evaluation(personas)
    with pytest.raises(ValidationError, match="不是本次测评的测评人"):
        services.score_cast(
            actor=personas.citizen, evaluation=evaluation, scores=full_sheet(evaluation)
        )


@pytest.mark.parametrize("close", [False, True])
def test_it_refuses_a_draft_or_closed_evaluation(personas, close):
    evaluation = make_evaluation(personas, open_it=close)
    if close:
        evaluation = services.evaluation_close(actor=personas.town_clerk, evaluation=evaluation)
    with pytest.raises(ValidationError, match="未在进行中"):
        services.score_cast(
            actor=personas.deputy, evaluation=evaluation, scores=full_sheet(evaluation)
        )
    assert not Score.objects.exists()


def test_the_database_refuses_a_second_score(personas):
    from django.db import IntegrityError, transaction

    evaluation = make_evaluation(personas)
    services.score_cast(actor=personas.deputy, evaluation=evaluation, scores=full_sheet(evaluation))
    score = Score.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(rater=score.rater, subject=score.subject, value="unsatisfied")
