import datetime as dt

from renda.oversight import services
from renda.oversight.models import Evaluation


def make_evaluation(personas, *, open_it: bool = True, rater_users=()) -> Evaluation:
    """东湖街道工委 rates 东湖街道办事处 and one 整改事项; 张代表 (the deputy persona) rates."""
    evaluation = services.evaluation_create(
        actor=personas.town_clerk,
        congress=personas.units["town"],
        title="2026年度部门满意度测评",
        opens_on=dt.date(2026, 11, 1),
        closes_on=dt.date(2026, 11, 30),
        subject_units=[personas.units["town_gov"]],
        subject_items=["老旧小区加装电梯整改"],
        rater_deputies=[personas.deputies["deputy"]],
        rater_users=list(rater_users),
    )
    if open_it:
        evaluation = services.evaluation_open(actor=personas.town_clerk, evaluation=evaluation)
    return evaluation


def full_sheet(evaluation, value="satisfied", comment=""):
    return {s.pk: (value, comment) for s in evaluation.subjects.all()}
