"""The category classifier at run time: which of the deployment's categories a message is in.

A fitted model is a linear function of the feature blocks in `features.py` followed by one
sigmoid calibration per category, so scoring needs only dictionaries and numpy: no
scikit-learn, no pickle. A model directory holds `model.npz` (weights and each block's sorted
term keys), `vocabulary.json.gz` (character and word ids) and `metadata.json`; loading it
executes nothing, so a tampered file can give wrong scores but cannot run code.

Scoring one message this way is a few numpy operations per block beyond segmentation (well
under a millisecond), where scikit-learn's input checks alone cost several milliseconds a call.
"""

import gzip
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from renda.textmine import features
from renda.textmine.features import (
    BLOCK_WEIGHTS,
    BLOCKS,
    MAX_CHAR_ID,
    MAX_WORD_ID,
    Lookup,
    message_keys,
)
from renda.textmine.normalize import normalize
from renda.textmine.segment import Segmenter

FORMAT_VERSION = 2
WEIGHTS_FILE = "model.npz"
VOCABULARY_FILE = "vocabulary.json.gz"
META_FILE = "metadata.json"
DEFAULT_THRESHOLD = 0.5


class ModelError(RuntimeError):
    """The model directory is missing, corrupt or was written by an incompatible version."""


@dataclass(frozen=True, slots=True)
class Prediction:
    label: str | None
    score: float
    top: list[tuple[str, float]]
    unsure: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "score": self.score,
            "top": [[label, score] for label, score in self.top],
            "unsure": self.unsure,
        }


@dataclass
class CategoryModel:
    """Per block: sorted term keys (see `features.py`) whose positions, offset by the block's
    start, are rows of `coef`, and their idf; per category: a linear score
    `x @ coef + intercept` turned into a probability by `expit(-(a * score + b))`."""

    labels: list[str]
    alphabet: dict[str, int]  # character → id
    lexicon: dict[str, int]  # word → id
    keys: dict[str, np.ndarray]  # block → sorted int64 term keys
    idf: np.ndarray  # (n_features,), blocks in BLOCKS order
    coef: np.ndarray  # (n_features, n_labels)
    intercept: np.ndarray
    sigmoid_a: np.ndarray
    sigmoid_b: np.ndarray
    user_words: tuple[str, ...] = ()
    threshold: float = DEFAULT_THRESHOLD
    metadata: dict[str, Any] | None = None
    _segmenter: Segmenter | None = None
    # All blocks' keys in one sorted array, tagged apart (see `_tagged`) so that the array is
    # in row order: one search per message instead of one per block, and a key's position is
    # its row. Then a last key above every term key, so a search never runs off the end.
    _search: np.ndarray = field(default=None, init=False, repr=False)  # type: ignore[assignment]
    _block_of: np.ndarray = field(default=None, init=False, repr=False)  # type: ignore[assignment]
    _lookup: Lookup = field(default=None, init=False, repr=False)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        self._search = np.append(_tagged(self.keys), np.iinfo(np.uint64).max)
        sizes = [len(self.keys[name]) for name in BLOCKS]
        self._block_of = np.repeat(np.arange(len(BLOCKS)), sizes)
        self._lookup = Lookup.build(self.alphabet, self.lexicon)

    def features(self, title: str, body: str) -> tuple[np.ndarray, np.ndarray]:
        """Rows and values of the weighted tf-idf vector of a normalised message: per block,
        sublinear tf times idf, L2-normalised, times the block's weight (`features.tfidf`
        computes the same block by block in training)."""
        keys = _tagged(message_keys(self.alphabet, self.lexicon, title, body, self._lookup))
        if not len(keys) or len(self._search) == 1:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)
        keys, tf = _counted(keys)
        rows = np.searchsorted(self._search, keys)
        known = self._search[rows] == keys
        rows = rows[known]
        block = self._block_of[rows]
        x = (1.0 + np.log(tf[known])) * self.idf[rows]
        norms = np.sqrt(np.bincount(block, weights=x * x, minlength=len(BLOCKS)))
        x *= _WEIGHTS[block] / norms[block]
        return rows, x

    def _decision(self, title: str, body: str) -> np.ndarray:
        rows, values = self.features(title, body)
        if not len(rows):
            return self.intercept.astype(np.float64)
        return values @ self.coef[rows] + self.intercept

    def proba(self, title: str, body: str) -> np.ndarray:
        """Calibrated scores of a normalised message, one per label, summing to 1."""
        p = 1.0 / (1.0 + np.exp(self.sigmoid_a * self._decision(title, body) + self.sigmoid_b))
        total = p.sum()
        # Every calibrator saying 0 happens only for extreme margins: no preference then.
        return p / total if total > 0 else np.full(len(self.labels), 1.0 / len(self.labels))

    def predict(self, title: str | None, body: str | None, *, top: int = 3) -> Prediction:
        """The category of one raw message, its calibrated score and the best `top`."""
        title, body = normalize(title), normalize(body)
        if not title and not body:
            # Empty text says nothing: no label rather than a guess.
            return Prediction(None, 0.0, [], unsure=True)
        p = self.proba(title, body).tolist()
        order = sorted(range(len(p)), key=p.__getitem__, reverse=True)[:top]
        best = [(self.labels[k], round(p[k], 4)) for k in order]
        return Prediction(best[0][0], best[0][1], best, unsure=best[0][1] < self.threshold)

    def predict_many(
        self, messages: Iterable[tuple[str | None, str | None]], *, top: int = 3
    ) -> list[Prediction]:
        return [self.predict(title, body, top=top) for title, body in messages]

    def save(self, directory: Path, metadata: dict[str, Any]) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            directory / WEIGHTS_FILE,
            idf=self.idf,
            coef=self.coef,
            intercept=self.intercept,
            sigmoid_a=self.sigmoid_a,
            sigmoid_b=self.sigmoid_b,
            **{f"keys_{name}": self.keys[name] for name in BLOCKS},
        )
        with gzip.open(directory / VOCABULARY_FILE, "wt", encoding="utf-8") as f:
            json.dump(
                {"alphabet": self.alphabet, "lexicon": self.lexicon},
                f,
                ensure_ascii=False,
                separators=(",", ":"),
            )
        self.metadata = {
            **metadata,
            "format_version": FORMAT_VERSION,
            "labels": self.labels,
            "threshold": self.threshold,
            "user_words": list(self.user_words),
            "n_features": int(self.coef.shape[0]),
            "features": features.config(),
        }
        (directory / META_FILE).write_text(
            json.dumps(self.metadata, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )

    @classmethod
    def load(cls, directory: Path) -> "CategoryModel":
        """A model written by `save`; `ModelError` says what is wrong with a bad directory."""
        paths = [directory / n for n in (META_FILE, WEIGHTS_FILE, VOCABULARY_FILE)]
        missing = [p.name for p in paths if not p.is_file()]
        if missing:
            raise ModelError(f"no model in {directory}: missing {', '.join(missing)}")
        try:
            meta = json.loads(paths[0].read_text(encoding="utf-8"))
            if meta.get("format_version") != FORMAT_VERSION:
                raise ModelError(
                    f"{directory}: model format {meta.get('format_version')!r}, this version "
                    f"reads {FORMAT_VERSION}; train the model again"
                )
            if meta.get("features") != json.loads(json.dumps(features.config())):
                raise ModelError(
                    f"{directory}: trained with other feature settings; train the model again"
                )
            with np.load(paths[1], allow_pickle=False) as npz:
                arrays = {k: npz[k] for k in npz.files}
            with gzip.open(paths[2], "rt", encoding="utf-8") as f:
                vocabularies = json.load(f)
            model = cls(
                labels=list(meta["labels"]),
                alphabet=dict(vocabularies["alphabet"]),
                lexicon=dict(vocabularies["lexicon"]),
                keys={name: arrays[f"keys_{name}"] for name in BLOCKS},
                idf=arrays["idf"],
                coef=arrays["coef"],
                intercept=arrays["intercept"],
                sigmoid_a=arrays["sigmoid_a"],
                sigmoid_b=arrays["sigmoid_b"],
                user_words=tuple(meta.get("user_words", ())),
                threshold=float(meta.get("threshold", DEFAULT_THRESHOLD)),
                metadata=meta,
            )
        except ModelError:
            raise
        except Exception as e:  # a truncated or foreign file fails in many different ways
            raise ModelError(f"{directory}: corrupt model ({type(e).__name__}: {e})") from e
        model.check()
        return model

    def check(self) -> None:
        """Shapes agree: a model whose parts do not fit together must not score anything."""
        n_labels = len(self.labels)
        n_rows = sum(len(self.keys.get(name, ())) for name in BLOCKS)
        ok = (
            set(self.keys) == set(BLOCKS)
            and all(
                k.dtype == np.int64 and k.ndim == 1 and bool(np.all(k[1:] > k[:-1]))
                for k in self.keys.values()
            )
            and all(bool(np.all((k >= 0) & (k < _TITLE_TAG))) for k in self.keys.values())
            and self.coef.shape == (n_rows, n_labels)
            and self.idf.shape == (n_rows,)
            and all(
                a.shape == (n_labels,) for a in (self.intercept, self.sigmoid_a, self.sigmoid_b)
            )
            and all(isinstance(i, int) and 0 < i <= MAX_CHAR_ID for i in self.alphabet.values())
            and all(isinstance(i, int) and 0 < i <= MAX_WORD_ID for i in self.lexicon.values())
        )
        if not ok or n_labels < 2:
            raise ModelError("corrupt model: its parts do not fit together")


_WEIGHTS = np.array([BLOCK_WEIGHTS[name] for name in BLOCKS])
_TITLE_TAG = np.int64(1 << 62)
_WORDS_TAG = np.int64(-(1 << 63))


def _counted(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`np.unique(keys, return_counts=True)` for a non-empty array, in fewer operations."""
    keys = np.sort(keys)
    new = np.empty(len(keys), dtype=bool)
    new[0] = True
    np.not_equal(keys[1:], keys[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    counts = np.empty(len(starts), dtype=np.int64)
    counts[:-1] = starts[1:] - starts[:-1]
    counts[-1] = len(keys) - starts[-1]
    return keys[starts], counts


def _tagged(keys: dict[str, np.ndarray]) -> np.ndarray:
    """The blocks' keys in one unsigned array, apart and in block order: "full" keys as they
    are (below 2**62), "title" keys with bit 62 set, "words" keys with bit 63 set."""
    tagged = np.concatenate([keys["full"], keys["title"] | _TITLE_TAG, keys["words"] | _WORDS_TAG])
    return tagged.view(np.uint64)


def versions() -> dict[str, str]:
    """Library versions behind a model, for its metadata: segmentation and conversion
    dictionaries change with them, and with them the terms a model was trained on."""
    import platform
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": platform.python_version()}
    for package in ("jieba", "opencc", "scikit-learn", "numpy", "scipy"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "not installed"
    return found
