"""Handling-unit suggestion: which unit a case will most likely be assigned to (主办单位).

It learns from the deployment's own history: each case that was assigned gives one example
(category, region, text → the lead unit that kept it, i.e. a lead assignment not returned).
The model is a weighted naive Bayes over four kinds of evidence:

* the category,
* the region at every level of its path (county, town, village …),
* the category together with each of those regions (城乡建设 in 东湖街道 goes to the street
  office, 城乡建设 elsewhere to the county bureau),
* the congress that assigns it, alone and with the category (a case escalated to the city
  goes to a city department),
* the characters of the text (title and opening of the content, character bigrams).

Each kind contributes the mean log-probability of its terms, so that a long text or a deep
region path does not outweigh the rest.

Counts are all it keeps, so it trains in seconds, is stored as one small JSON file (no pickle)
and says nothing about units with no history. Scores are a softmax over the units a case may
be assigned to, so they add up to 1 over those units.

Plain Python and numpy: the Django side (examples from the database, storage) is in
`renda.triage.training`.
"""

import datetime as dt
import gzip
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from renda.textmine.dedup import canonical

FORMAT_VERSION = 1
MODEL_FILE = "units.json.gz"
TEXT_CHARS = 300
ALPHA = 0.5
# Weights of the evidence kinds (each a mean log-probability over its terms). The text weighs
# most because its per-term differences between units are small; tune them with
# `manage.py evaluate_unit_suggestion` on a deployment's history.
WEIGHTS = {"category": 1.0, "region": 1.0, "category_region": 1.5, "congress": 1.5, "text": 6.0}
TEMPERATURES = (0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 8.0)


class UnitModelError(ValueError):
    """The model file is missing, corrupt or of another format."""


@dataclass(frozen=True, slots=True)
class UnitExample:
    case_id: int
    category: str
    region_path: str
    title: str
    content: str
    unit_id: int
    # The region path of the congress that owns the case: units outside it cannot be assigned.
    congress_region_path: str
    at: dt.datetime


def region_prefixes(path: str, steplen: int) -> list[str]:
    return [path[:end] for end in range(steplen, len(path) + 1, steplen)]


def text_terms(title: str, content: str) -> set[str]:
    text = canonical(f"{title}\n{(content or '')[:TEXT_CHARS]}")
    return {text[i : i + 2] for i in range(len(text) - 1)} or set(text)


def features(
    category: str,
    region_path: str,
    title: str,
    content: str,
    steplen: int,
    congress_path: str = "",
) -> dict[str, list[str]]:
    prefixes = region_prefixes(region_path, steplen)
    found = {
        "category": [category],
        "region": prefixes,
        "category_region": [f"{category}|{p}" for p in prefixes],
        "text": sorted(text_terms(title, content)),
    }
    if congress_path:
        # Who assigns: a case escalated to the city goes to city departments.
        found["congress"] = [f"@{congress_path}", f"{category}|@{congress_path}"]
    return found


class UnitModel:
    """Counts per evidence kind, feature and unit; see the module docstring."""

    def __init__(
        self,
        *,
        units: list[int],
        prior: list[int],
        counts: dict[str, dict[str, dict[int, int]]],
        steplen: int,
        weights: dict[str, float] | None = None,
        alpha: float = ALPHA,
        temperature: float = 1.0,
    ) -> None:
        self.units = units
        self.index = {u: i for i, u in enumerate(units)}
        self.prior = np.asarray(prior, dtype=np.float64)
        self.counts = counts
        self.steplen = steplen
        self.weights = dict(weights or WEIGHTS)
        self.alpha = alpha
        # Divides the logits before the softmax: fitted on held-out assignments so that a
        # score of 0.8 is right about 8 times in 10 (it never changes the order).
        self.temperature = temperature
        self._totals: dict[str, np.ndarray] = {}
        self._vocab: dict[str, int] = {}
        for kind, table in counts.items():
            totals = np.zeros(len(units))
            for per_unit in table.values():
                for i, n in per_unit.items():
                    totals[i] += n
            self._totals[kind] = totals
            self._vocab[kind] = max(len(table), 1)

    # -- fitting ---------------------------------------------------------------------------

    @classmethod
    def fit(
        cls, examples: Sequence[UnitExample], *, steplen: int, weights: dict | None = None
    ) -> "UnitModel":
        if not examples:
            raise ValueError("no assignments to learn from")
        units = sorted({e.unit_id for e in examples})
        index = {u: i for i, u in enumerate(units)}
        prior = Counter(index[e.unit_id] for e in examples)
        counts: dict[str, dict[str, dict[int, int]]] = defaultdict(dict)
        for e in examples:
            i = index[e.unit_id]
            for kind, terms in features(
                e.category, e.region_path, e.title, e.content, steplen, e.congress_region_path
            ).items():
                table = counts[kind]
                for term in terms:
                    per_unit = table.setdefault(term, {})
                    per_unit[i] = per_unit.get(i, 0) + 1
        return cls(
            units=units,
            prior=[prior[i] for i in range(len(units))],
            counts=dict(counts),
            steplen=steplen,
            weights=weights,
        )

    # -- scoring ---------------------------------------------------------------------------

    def _log_likelihood(self, kind: str, terms: Iterable[str]) -> tuple[np.ndarray, int]:
        table = self.counts.get(kind, {})
        n = 0
        denominators = np.log(self._totals[kind] + self.alpha * self._vocab[kind])
        total = np.zeros(len(self.units))
        for term in terms:
            per_unit = table.get(term)
            n += 1
            row = np.full(len(self.units), self.alpha)
            if per_unit:
                for i, c in per_unit.items():
                    row[i] += c
            total += np.log(row)
        return total - n * denominators, n

    def scores(
        self,
        *,
        category: str,
        region_path: str,
        title: str,
        content: str,
        congress_path: str = "",
        allowed: Iterable[int] | None = None,
    ) -> list[tuple[int, float]]:
        """(unit id, score) for every known unit in `allowed` (all when None), best first;
        scores add up to 1."""
        if allowed is None:
            columns = np.arange(len(self.units))
        else:
            columns = np.array(sorted({self.index[u] for u in allowed if u in self.index}))
        if not len(columns):
            return []
        logit = np.log(self.prior)
        found = features(category, region_path, title, content, self.steplen, congress_path)
        for kind, terms in found.items():
            if kind not in self.counts:
                continue
            ll, n = self._log_likelihood(kind, terms)
            if n == 0:
                continue
            # A mean per kind: a deep region path or a long text is one piece of evidence,
            # not many, which keeps the scores from piling up towards 0 and 1.
            logit = logit + self.weights.get(kind, 0.0) * ll / n
        logit = logit[columns] / self.temperature
        p = np.exp(logit - logit.max())
        p /= p.sum()
        order = np.argsort(-p, kind="stable")
        return [(self.units[columns[k]], float(p[k])) for k in order]

    def top(self, k: int = 3, **kwargs) -> list[tuple[int, float]]:
        return self.scores(**kwargs)[:k]

    # -- storage ---------------------------------------------------------------------------

    def save(self, directory: Path, metadata: dict) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        payload = {
            "format": FORMAT_VERSION,
            "units": self.units,
            "prior": self.prior.astype(int).tolist(),
            "steplen": self.steplen,
            "weights": self.weights,
            "alpha": self.alpha,
            "temperature": self.temperature,
            "counts": {
                kind: {term: {str(i): n for i, n in per.items()} for term, per in table.items()}
                for kind, table in self.counts.items()
            },
            "metadata": metadata,
        }
        with gzip.open(directory / MODEL_FILE, "wt", encoding="utf-8") as f:
            json.dump(payload, f, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def load(cls, directory: Path) -> "UnitModel":
        """UnitModelError with the reason when the directory holds no readable model."""
        path = directory / MODEL_FILE
        if not path.is_file():
            raise UnitModelError(f"no unit model in {directory}: missing {MODEL_FILE}")
        try:
            with gzip.open(path, "rt", encoding="utf-8") as f:
                payload = json.load(f)
            if payload.get("format") != FORMAT_VERSION:
                raise UnitModelError(f"unit model format {payload.get('format')!r}: train again")
            units = [int(u) for u in payload["units"]]
            counts = {
                kind: {
                    term: {int(i): int(n) for i, n in per.items()} for term, per in table.items()
                }
                for kind, table in payload["counts"].items()
            }
            model = cls(
                units=units,
                prior=[int(n) for n in payload["prior"]],
                counts=counts,
                steplen=int(payload["steplen"]),
                weights={k: float(v) for k, v in payload["weights"].items()},
                alpha=float(payload["alpha"]),
                temperature=float(payload.get("temperature", 1.0)),
            )
        except UnitModelError:
            raise
        except Exception as e:  # truncated gzip, bad JSON, missing keys: all "corrupt"
            raise UnitModelError(f"{path}: corrupt unit model ({type(e).__name__}: {e})") from e
        if (
            model.temperature <= 0
            or len(model.prior) != len(units)
            or any(
                i >= len(units) for table in counts.values() for per in table.values() for i in per
            )
        ):
            raise UnitModelError(f"{path}: corrupt unit model (parts do not fit together)")
        return model


# -- evaluation ------------------------------------------------------------------------------


def allowed_units(unit_paths: dict[int, str], congress_region_path: str) -> list[int]:
    """The units a congress may assign to: those in its jurisdiction (as `case_assign`)."""
    return [u for u, path in unit_paths.items() if path.startswith(congress_region_path)]


def time_split(
    examples: Sequence[UnitExample], *, test_fraction: float = 0.2
) -> tuple[list[UnitExample], list[UnitExample]]:
    """Older examples to train on, the newest `test_fraction` to test on."""
    ordered = sorted(examples, key=lambda e: (e.at, e.case_id))
    cut = len(ordered) - max(1, math.ceil(len(ordered) * test_fraction))
    return ordered[:cut], ordered[cut:]


def evaluate(
    examples: Sequence[UnitExample],
    *,
    unit_paths: dict[int, str],
    steplen: int,
    test_fraction: float = 0.2,
    k: int = 3,
    weights: dict | None = None,
) -> dict:
    """Top-1 and top-k accuracy on a time split, with the same figure for a baseline that
    suggests the k units most often given the case's category."""
    train, test = time_split(examples, test_fraction=test_fraction)
    if not train or not test:
        raise ValueError("too few assignments for a time split")
    model = UnitModel.fit(train, steplen=steplen, weights=weights)
    by_category: dict[str, Counter] = defaultdict(Counter)
    for e in train:
        by_category[e.category][e.unit_id] += 1
    hits1 = hitsk = base = 0
    # Log-loss of the true unit at each temperature, to pick the one that calibrates best.
    losses = dict.fromkeys(TEMPERATURES, 0.0)
    for e in test:
        allowed = allowed_units(unit_paths, e.congress_region_path)
        args = {
            "category": e.category,
            "region_path": e.region_path,
            "title": e.title,
            "content": e.content,
            "congress_path": e.congress_region_path,
            "allowed": allowed,
        }
        for t in TEMPERATURES:
            model.temperature = t
            p = dict(model.scores(**args)).get(e.unit_id, 0.0)
            losses[t] -= math.log(max(p, 1e-6))
        model.temperature = 1.0
        ranked = [u for u, _ in model.top(k, **args)]
        hits1 += bool(ranked) and ranked[0] == e.unit_id
        hitsk += e.unit_id in ranked
        allowed_set = set(allowed)
        common = [u for u, _ in by_category[e.category].most_common() if u in allowed_set][:k]
        base += e.unit_id in common
    n = len(test)
    return {
        "train": len(train),
        "test": n,
        "train_until": train[-1].at.isoformat(),
        "test_from": test[0].at.isoformat(),
        "top1": hits1 / n,
        f"top{k}": hitsk / n,
        f"baseline_top{k}": base / n,
        "temperature": min(TEMPERATURES, key=lambda t: (losses[t], t)),
    }
