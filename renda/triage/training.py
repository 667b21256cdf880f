"""Training the suggestion models from the deployment's own cases, storing them, and loading
the one in use.

A model is a directory under `settings.VAR_DIR / "models" / <kind>/`; the newest
`TrainedModel` row of a kind names the one in use. Every process reads that row (one query)
and keeps the loaded model in memory until a newer row appears, so a model trained by the
nightly command reaches every web worker without a restart. A model that is missing or corrupt
is reported as `ModelUnavailable` with a Chinese message; triage then works without it.
"""

import contextlib
import logging
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string

from renda.cases.models import Assignment, Case
from renda.org.models import OrgUnit, Region
from renda.triage.models import TrainedModel
from renda.triage.units import UnitExample, UnitModel, evaluate

logger = logging.getLogger("renda.triage")

# Fewer confirmed cases than this in a category teach the classifier nothing reliable: such
# categories are left out of the model (and never suggested) until they have more.
MIN_CASES_PER_CATEGORY = 20
MIN_ASSIGNMENTS = 30
# Categories are confirmed by the clerk at acceptance: cases still waiting for it, merged
# ones and rejected ones keep whatever the citizen chose.
TRAINING_STATES = (
    Case.State.ACCEPTED,
    Case.State.ASSIGNED,
    Case.State.HANDLING,
    Case.State.REPLIED,
    Case.State.CLOSED,
)


class TrainingRefused(Exception):
    """Not enough data to train; the message (Chinese) says what is missing."""


class ModelUnavailable(Exception):
    """No usable model of this kind; the message (Chinese) says why."""


def models_root() -> Path:
    return Path(settings.VAR_DIR) / "models"


def _new_directory(kind: str) -> str:
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    return f"{kind}/{stamp}-{get_random_string(6).lower()}"


def _size(directory: Path) -> int:
    return sum(p.stat().st_size for p in directory.rglob("*") if p.is_file())


def _user_words() -> list[str]:
    # Place names and unit names keep whole in segmentation (东湖街道, 住房和城乡建设局).
    names = list(Region.objects.values_list("name", flat=True))
    names += OrgUnit.objects.values_list("name", flat=True)
    return sorted(set(names))


# --- the category classifier ----------------------------------------------------------------


@dataclass(frozen=True)
class TrainingResult:
    row: TrainedModel
    left_out: dict[str, int]


def category_examples() -> list[tuple[int, str, str, str]]:
    """(case id, title, content, category name) of every case whose category a clerk
    confirmed, oldest first."""
    return list(
        Case.objects.filter(state__in=TRAINING_STATES)
        .order_by("created_at", "pk")
        .values_list("pk", "title", "content", "category__name")
    )


def classifier_train(*, min_per_category: int = MIN_CASES_PER_CATEGORY) -> TrainingResult:
    """Fit the category classifier on the deployment's confirmed cases and make it current.

    Categories with fewer than `min_per_category` cases are left out (reported in
    `left_out`); TrainingRefused when fewer than two categories remain.
    """
    from renda.textmine.classifier import versions
    from renda.textmine.dataset import Example, validation_split
    from renda.textmine.evaluation import scores
    from renda.textmine.normalize import normalize
    from renda.textmine.training import fit_category_model

    rows = category_examples()
    counts: dict[str, int] = {}
    for _, _, _, label in rows:
        counts[label] = counts.get(label, 0) + 1
    kept = {label: n for label, n in counts.items() if n >= min_per_category}
    left_out = {label: n for label, n in counts.items() if n < min_per_category}
    if len(kept) < 2:
        detail = "、".join(f"{k} {v} 件" for k, v in sorted(counts.items())) or "没有已受理的事项"
        raise TrainingRefused(
            f"已受理事项不足，无法训练分类模型：至少需要两个分类各有 {min_per_category} 件"
            f"已受理的事项（现有：{detail}）。"
        )
    examples = [
        Example(f"C{pk}", normalize(title), normalize(content), label)
        for pk, title, content, label in rows
        if label in kept
    ]
    user_words = _user_words()
    started = time.perf_counter()
    train, held_out = validation_split(examples, fraction=0.2, seed=0)
    validation: dict[str, Any] = {}
    if held_out and len({e.label for e in train}) == len(kept):
        probe = fit_category_model(
            [e.title for e in train],
            [e.body for e in train],
            [e.label for e in train],
            user_words=user_words,
        )
        predicted = probe.predict_many([(e.title, e.body) for e in held_out])
        validation = scores([e.label for e in held_out], [p.label for p in predicted])
        hits = sum(
            e.label in [label for label, _ in p.top]
            for e, p in zip(held_out, predicted, strict=True)
        )
        validation["top3_accuracy"] = round(hits / len(held_out), 4)
        validation.pop("per_class_f1", None)
    model = fit_category_model(
        [e.title for e in examples],
        [e.body for e in examples],
        [e.label for e in examples],
        user_words=user_words,
    )
    seconds = time.perf_counter() - started
    directory = _new_directory(TrainedModel.Kind.CATEGORY)
    path = models_root() / directory
    model.save(
        path,
        {
            "trained_at": timezone.now().isoformat(timespec="seconds"),
            "training_size": len(examples),
            "training_seconds": round(seconds, 1),
            "validation": validation,
            "versions": versions(),
        },
    )
    row = _record(
        kind=TrainedModel.Kind.CATEGORY,
        directory=directory,
        path=path,
        size=len(examples),
        seconds=seconds,
        scores=validation,
        labels=kept,
        note=_left_out_note(left_out, min_per_category),
    )
    return TrainingResult(row=row, left_out=left_out)


def _left_out_note(left_out: dict[str, int], minimum: int) -> str:
    if not left_out:
        return ""
    names = "、".join(f"{k}（{v} 件）" for k, v in sorted(left_out.items()))
    return f"不足 {minimum} 件未参与训练：{names}"[:500]


def _record(*, kind, directory, path, size, seconds, scores, labels, note="") -> TrainedModel:
    try:
        with transaction.atomic():
            row = TrainedModel(
                kind=kind,
                directory=directory,
                trained_at=timezone.now(),
                training_size=size,
                training_seconds=round(seconds, 2),
                size_bytes=_size(path),
                scores=scores,
                labels=labels,
                note=note,
            )
            row.full_clean()
            row.save()
    except Exception:
        shutil.rmtree(path, ignore_errors=True)  # a directory no row names is only clutter
        raise
    return row


# --- the unit suggestion ------------------------------------------------------------------------


def unit_examples() -> list[UnitExample]:
    """One example per assigned case: the first lead assignment that the unit kept (a
    returned one says "not ours"), with what the clerk saw when assigning."""
    rows = (
        Assignment.objects.filter(role=Assignment.Role.LEAD)
        .exclude(state=Assignment.State.RETURNED)
        .exclude(case__state__in=[Case.State.MERGED, Case.State.REJECTED])
        .order_by("case_id", "round", "pk")
        .values_list(
            "case_id",
            "unit_id",
            "assigned_at",
            "case__title",
            "case__content",
            "case__category__name",
            "case__region__path",
            "case__congress__region__path",
        )
    )
    examples: dict[int, UnitExample] = {}
    for case_id, unit_id, at, title, content, category, region, congress in rows.iterator():
        if case_id not in examples:
            examples[case_id] = UnitExample(
                case_id, category, region, title, content, unit_id, congress, at
            )
    return list(examples.values())


def handling_unit_paths() -> dict[int, str]:
    return dict(
        OrgUnit.objects.filter(kind=OrgUnit.Kind.HANDLING_UNIT, is_active=True).values_list(
            "pk", "region__path"
        )
    )


def unit_suggestion_evaluate(*, test_fraction: float = 0.2) -> dict:
    """Top-1 and top-3 accuracy of the unit suggestion on the deployment's history: trained on
    the older assignments, tested on the newest `test_fraction`."""
    examples = unit_examples()
    if len(examples) < 10:
        raise TrainingRefused(f"交办记录不足，无法评估：至少需要 10 件，现有 {len(examples)} 件。")
    return evaluate(
        examples,
        unit_paths=handling_unit_paths(),
        steplen=Region.steplen,
        test_fraction=test_fraction,
    )


def unit_model_train(*, min_assignments: int = MIN_ASSIGNMENTS) -> TrainingResult:
    """Fit the unit suggestion on every assignment so far and make it current."""
    examples = unit_examples()
    if len(examples) < min_assignments:
        raise TrainingRefused(
            f"交办记录不足，无法训练承办单位模型：至少需要 {min_assignments} 件已交办的事项，"
            f"现有 {len(examples)} 件。"
        )
    started = time.perf_counter()
    validation: dict[str, Any] = {}
    with contextlib.suppress(ValueError):  # too few for a time split: no validation figures
        validation = evaluate(examples, unit_paths=handling_unit_paths(), steplen=Region.steplen)
    model = UnitModel.fit(examples, steplen=Region.steplen)
    model.temperature = validation.get("temperature", 1.0)
    seconds = time.perf_counter() - started
    directory = _new_directory(TrainedModel.Kind.UNIT)
    path = models_root() / directory
    model.save(path, {"trained_at": timezone.now().isoformat(timespec="seconds")})
    units = dict(OrgUnit.objects.filter(pk__in=model.units).values_list("pk", "name"))
    per_unit: dict[str, int] = {}
    for e in examples:
        name = units.get(e.unit_id, str(e.unit_id))
        per_unit[name] = per_unit.get(name, 0) + 1
    row = _record(
        kind=TrainedModel.Kind.UNIT,
        directory=directory,
        path=path,
        size=len(examples),
        seconds=seconds,
        scores=validation,
        labels=per_unit,
    )
    return TrainingResult(row=row, left_out={})


# --- loading the model in use -----------------------------------------------------------------

_cache: dict[str, tuple[int, Any]] = {}
_lock = threading.Lock()


def current_row(kind: str) -> TrainedModel | None:
    return TrainedModel.objects.filter(kind=kind).order_by("-trained_at", "-pk").first()


def load_current(kind: str) -> tuple[TrainedModel, Any]:
    """The model in use (row, loaded model); ModelUnavailable says why there is none."""
    label = TrainedModel.Kind(kind).label
    row = current_row(kind)
    if row is None:
        raise ModelUnavailable(f"尚未训练{label}（请运行 manage.py train_classifier）。")
    with _lock:
        cached = _cache.get(kind)
        if cached is not None and cached[0] == row.pk:
            return row, cached[1]
    try:
        model = _load(kind, models_root() / row.directory)
    except Exception as e:
        logger.warning("%s %s unusable: %s", kind, row.directory, e)
        raise ModelUnavailable(
            f"{label}文件缺失或已损坏，暂不提供建议（请重新运行 manage.py train_classifier）。"
        ) from e
    with _lock:
        _cache[kind] = (row.pk, model)
    return row, model


def _load(kind: str, path: Path) -> Any:
    if kind == TrainedModel.Kind.CATEGORY:
        from renda.textmine.classifier import CategoryModel

        return CategoryModel.load(path)
    return UnitModel.load(path)


def forget_loaded() -> None:
    """Drop the models held in memory (tests, and after a model file was replaced)."""
    with _lock:
        _cache.clear()
