"""Scores of a category model on labelled messages: accuracy, macro-F1, per-class F1, latency."""

import statistics
import time
from collections.abc import Sequence
from typing import Any

from renda.textmine.classifier import CategoryModel
from renda.textmine.dataset import Example


def scores(gold: Sequence[str], predicted: Sequence[str | None]) -> dict[str, Any]:
    """Accuracy, macro-F1 and per-class F1 (a missing prediction counts as wrong)."""
    from sklearn.metrics import accuracy_score, f1_score

    labels = sorted(set(gold))
    pred = [p if p is not None else "" for p in predicted]
    per_class = f1_score(gold, pred, labels=labels, average=None, zero_division=0)
    return {
        "n": len(gold),
        "accuracy": round(float(accuracy_score(gold, pred)), 4),
        "macro_f1": round(float(f1_score(gold, pred, labels=labels, average="macro")), 4),
        "per_class_f1": {lab: round(float(f), 4) for lab, f in zip(labels, per_class, strict=True)},
    }


def evaluate(model: CategoryModel, examples: Sequence[Example]) -> dict[str, Any]:
    """Scores in one batch, plus the latency of classifying each message on its own, as
    triage does (the first call, which loads the jieba dictionary, is left out)."""
    pairs = [(e.title, e.body) for e in examples]
    predictions = model.predict_many(pairs)
    result = scores([e.label for e in examples], [p.label for p in predictions])
    model.predict(*pairs[0])
    wall, cpu = [], []
    for title, body in pairs:
        start, start_cpu = time.perf_counter(), time.thread_time()
        model.predict(title, body)
        cpu.append((time.thread_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    # Wall time is what a user waits; CPU time is the same work without the noise of other
    # processes on a shared machine. Both are reported.
    result["latency_ms"] = _summary(wall)
    result["cpu_ms"] = _summary(cpu)
    return result


def _summary(times_ms: list[float]) -> dict[str, float]:
    times_ms = sorted(times_ms)
    return {
        "median": round(statistics.median(times_ms), 3),
        "p95": round(times_ms[min(len(times_ms) - 1, int(0.95 * len(times_ms)))], 3),
        "mean": round(statistics.fmean(times_ms), 3),
    }
