"""train_classifier and evaluate_unit_suggestion on the deployment's own cases."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from renda.triage.models import TrainedModel
from renda.triage.tests.helpers import history, town_units
from renda.triage.training import (
    ModelUnavailable,
    TrainingRefused,
    classifier_train,
    forget_loaded,
    load_current,
    models_root,
    unit_model_train,
)


def _run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=out)
    return out.getvalue()


def test_it_refuses_clearly_with_too_few_cases_per_category(personas):
    history(personas, town_units(personas), per_category=3, assign=False)
    with pytest.raises(TrainingRefused, match="至少需要两个分类各有 20 件") as e:
        classifier_train()
    assert "城乡建设 3 件" in str(e.value)
    with pytest.raises(CommandError, match="未完成训练"):
        _run("train_classifier")
    assert not TrainedModel.objects.exists()
    with pytest.raises(ModelUnavailable, match="尚未训练分类模型"):
        load_current(TrainedModel.Kind.CATEGORY)


def test_it_trains_both_models_and_every_process_can_load_them(personas):
    units = town_units(personas)
    history(personas, units, per_category=12)
    output = _run("train_classifier", "--min-per-category", "10", "--min-assignments", "20")
    assert "分类模型：36 件、3 个分类" in output
    assert "承办单位模型：36 件交办记录、3 个单位" in output
    category = TrainedModel.objects.get(kind=TrainedModel.Kind.CATEGORY)
    assert category.training_size == 36 and category.size_bytes > 0
    assert set(category.labels) == {"城乡建设", "环境保护", "交通运输"}
    assert {"accuracy", "macro_f1", "top3_accuracy"} <= set(category.scores)
    assert (models_root() / category.directory / "model.npz").is_file()
    forget_loaded()  # another process: loads from the files the row names
    _, model = load_current(TrainedModel.Kind.CATEGORY)
    assert model.predict("河道垃圾", "河道漂满垃圾发臭").label == "环境保护"
    _, unit_model = load_current(TrainedModel.Kind.UNIT)
    assert units["env"].pk in unit_model.units


def test_it_leaves_out_small_categories_and_says_so(personas):
    history(personas, town_units(personas), per_category=10, assign=False)
    from renda.cases.tests.helpers import accepted, category

    accepted(personas, category=category("其他"))
    result = classifier_train(min_per_category=10)
    assert result.left_out == {"其他": 1}
    assert "其他（1 件）" in result.row.note


def test_a_corrupt_model_file_gives_a_clear_message(personas):
    history(personas, town_units(personas), per_category=10, assign=False)
    row = classifier_train(min_per_category=10).row
    (models_root() / row.directory / "model.npz").write_bytes(b"not a model")
    forget_loaded()
    with pytest.raises(ModelUnavailable, match="分类模型文件缺失或已损坏"):
        load_current(TrainedModel.Kind.CATEGORY)


def test_the_unit_model_refuses_without_enough_assignments(personas):
    history(personas, town_units(personas), per_category=2)
    with pytest.raises(TrainingRefused, match="现有 6 件"):
        unit_model_train()


def test_evaluate_unit_suggestion_prints_the_top3_accuracy(personas):
    history(personas, town_units(personas), per_category=10)
    output = _run("evaluate_unit_suggestion")
    assert "训练 24 件" in output and "检验 6 件" in output
    assert "unit top-3 accuracy: 1.000" in output


def test_evaluate_unit_suggestion_refuses_without_history(personas):
    with pytest.raises(CommandError, match="交办记录不足"):
        _run("evaluate_unit_suggestion")
