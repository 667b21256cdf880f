"""Writes of 满意度测评: create, open, close, and a rater's sheet of scores."""

from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from renda.deputies.models import Deputy
from renda.org.models import OrgUnit
from renda.oversight.models import Evaluation, EvaluationRater, EvaluationSubject, Score


@transaction.atomic
def evaluation_create(
    *,
    actor,
    congress: OrgUnit,
    title: str,
    opens_on,
    closes_on,
    subject_units: Sequence[OrgUnit] = (),
    subject_items: Sequence[str] = (),
    rater_deputies: Sequence[Deputy] = (),
    rater_users: Sequence = (),
) -> Evaluation:
    items = [s.strip() for s in subject_items if s.strip()]
    if not subject_units and not items:
        raise ValidationError("请至少选择一个测评对象（单位或事项）。")
    if not rater_deputies and not rater_users:
        raise ValidationError("请至少选择一名测评人。")
    without_account = [d.name for d in rater_deputies if d.user_id is None]
    if without_account:
        raise ValidationError("以下代表没有平台账号，无法在线测评：" + "、".join(without_account))
    evaluation = Evaluation(
        title=title.strip(),
        congress=congress,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=actor,
    )
    if closes_on and opens_on and closes_on < opens_on:
        raise ValidationError({"closes_on": "截止日期不能早于开始日期。"})
    evaluation.full_clean()
    evaluation.save()
    position = 0
    for unit in dict.fromkeys(subject_units):
        position += 1
        EvaluationSubject.objects.create(
            evaluation=evaluation, unit=unit, name=unit.name, position=position
        )
    for item in dict.fromkeys(items):
        position += 1
        subject = EvaluationSubject(evaluation=evaluation, name=item[:200], position=position)
        subject.full_clean()
        subject.save()
    seen: set[int] = set()
    for deputy in rater_deputies:
        if deputy.user_id not in seen:
            seen.add(deputy.user_id)
            EvaluationRater.objects.create(
                evaluation=evaluation, user_id=deputy.user_id, deputy=deputy
            )
    for user in rater_users:
        if user.pk not in seen:
            seen.add(user.pk)
            EvaluationRater.objects.create(evaluation=evaluation, user=user)
    return evaluation


def _locked(evaluation: Evaluation) -> Evaluation:
    return Evaluation.objects.select_for_update().get(pk=evaluation.pk)


@transaction.atomic
def evaluation_open(*, actor, evaluation: Evaluation) -> Evaluation:
    evaluation = _locked(evaluation)
    if evaluation.status != Evaluation.Status.DRAFT:
        raise ValidationError("只有草稿状态的测评可以开始。")
    evaluation.status = Evaluation.Status.OPEN
    evaluation.save(update_fields=["status"])
    return evaluation


@transaction.atomic
def evaluation_close(*, actor, evaluation: Evaluation) -> Evaluation:
    evaluation = _locked(evaluation)
    if evaluation.status != Evaluation.Status.OPEN:
        raise ValidationError("只有进行中的测评可以结束。")
    evaluation.status = Evaluation.Status.CLOSED
    evaluation.save(update_fields=["status"])
    return evaluation


@transaction.atomic
def score_cast(
    *, actor, evaluation: Evaluation, scores: Mapping[int, tuple[str, str]]
) -> list[Score]:
    """A rater's whole sheet: `scores` maps each subject id to (value, comment). Either every
    subject is scored or nothing is saved."""
    evaluation = _locked(evaluation)
    rater = EvaluationRater.objects.filter(evaluation=evaluation, user_id=actor.pk).first()
    if rater is None:
        raise ValidationError("您不是本次测评的测评人。")
    if evaluation.status != Evaluation.Status.OPEN:
        raise ValidationError("本次测评未在进行中，不能提交。")
    subjects = list(evaluation.subjects.all())
    missing = [s.name for s in subjects if s.pk not in scores]
    if missing:
        raise ValidationError("请对每个测评对象作出评价，尚未评价：" + "、".join(missing))
    done = set(rater.scores.values_list("subject_id", flat=True))
    again = [s.name for s in subjects if s.pk in done]
    if again:
        raise ValidationError(f"您已对“{again[0]}”测评过，不能重复测评。")
    created = []
    for subject in subjects:
        value, comment = scores[subject.pk]
        score = Score(rater=rater, subject=subject, value=value, comment=(comment or "").strip())
        score.full_clean()
        created.append(score)
    try:
        Score.objects.bulk_create(created)
    except IntegrityError:
        raise ValidationError("您已测评过，不能重复测评。") from None
    rater.submitted_at = timezone.now()
    rater.save(update_fields=["submitted_at"])
    return created
