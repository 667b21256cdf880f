"""Fitting the category classifier with scikit-learn, compiled into a `CategoryModel`.

scikit-learn is needed only here: the fitted SVM and calibrators are reduced to arrays that
`classifier.py` scores with numpy alone. The tf-idf rows are built by the same function that
scores a message at run time (`features.tfidf`), so training and scoring cannot drift apart.

The classifier is an NB-SVM (Wang and Manning, 2012): per category, every feature is scaled by
its naive-Bayes log-count ratio (how much more often it occurs in that category's messages than
in the others') before a linear SVM is fitted, one category against the rest. The scaling folds
into the weights (w * r), so the compiled model is the same linear function as a plain SVM's
and scores as fast. A plain linear SVM on the unscaled features is fitted beside it and the
two margins are added (`PLAIN_WEIGHT`): still one linear function, the same model format and
run-time cost. On five random validation splits of train.csv the blend beat either model on
its own, while class weights, extra weight on full messages, a logistic model and complement
naive Bayes did not (see bench/bench_textmine.py). Its margins
are calibrated with one sigmoid per category fitted on cross-validated decisions
(`ensemble=False`: one SVM trained on every row, rather than an average of per-fold SVMs
that would triple the model's size).

Tried and not kept, 4-fold cross-validation over train.csv's 2,005 full messages (each fold's
training rows cleared of copies of its held-out messages; uncalibrated macro-F1, this model
0.9218): class_weight="balanced" 0.9216; character 4-grams in the full block 0.9181 or in the
title block 0.9187; word block at weight 0.7 0.9202 or 1.4 0.9185, or over the whole body
opening 0.9203; min_df 1 0.9172 or 3 0.9207; naive-Bayes alpha 0.5 0.9197 or 2.0 0.9196;
binary tf 0.9160; the full block on the body alone 0.9210, or on 500 body characters 0.9208;
margins of a logistic model (liblinear, C=20) added at weight 0.1-1.0 0.9199-0.9147, of
complement naive Bayes at 0.1-2.0 0.9180-0.9120; per-category biases on the margins, learnt
on three folds' held-out decisions and applied to the fourth, 0.9218. Sigmoid calibration
changes 5-8 argmax predictions per fold, macro-F1 0.9218 -> 0.9222.
"""

from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.svm import LinearSVC

from renda.textmine.classifier import DEFAULT_THRESHOLD, CategoryModel
from renda.textmine.features import (
    BLOCK_WEIGHTS,
    BLOCKS,
    CHAR_BITS,
    MAX_CHAR_ID,
    MAX_WORD_ID,
    WORD_BITS,
    Lookup,
    message_keys,
    message_text,
    segmented_words,
    sequence_ids,
    tfidf,
)
from renda.textmine.segment import Segmenter

SVM_C = 0.5
# Additive smoothing of the naive-Bayes counts behind the log-count ratios.
NB_ALPHA = 1.0
# The plain linear SVM blended with the NB-SVM (see `NBSVM`).
PLAIN_C = 1.0
PLAIN_WEIGHT = 1.0
# Terms seen in one message only cannot generalise and would double the model's size.
MIN_DF = 2


def fit_category_model(
    titles: Sequence[str],
    bodies: Sequence[str],
    labels: Sequence[str],
    *,
    user_words: Iterable[str] = (),
    threshold: float = DEFAULT_THRESHOLD,
) -> CategoryModel:
    """Fit on normalised titles and bodies (see `normalize`) and their category labels."""
    classes, counts = np.unique(np.asarray(labels), return_counts=True)
    if len(classes) < 2:
        raise ValueError("training needs at least two categories")
    if counts.min() < 2:
        raise ValueError("every category needs at least two examples")
    user_words = tuple(user_words)
    segmenter = Segmenter(user_words)
    # The lexicon: jieba's words (with the deployment's own) that recur in the training
    # messages; scoring then cuts text by maximum matching against it, and so does training.
    segmented = [segmented_words(segmenter, t, b) for t, b in zip(titles, bodies, strict=True)]
    lexicon = sequence_ids([set(words) for words in segmented], MAX_WORD_ID, min_count=MIN_DF)
    texts = [message_text(t, b) for t, b in zip(titles, bodies, strict=True)]
    alphabet = sequence_ids([text for text, _, _ in texts], MAX_CHAR_ID)
    lookup = Lookup.build(alphabet, lexicon)
    docs = [
        message_keys(alphabet, lexicon, t, b, lookup) for t, b in zip(titles, bodies, strict=True)
    ]

    min_df = min(MIN_DF, len(docs))
    keys: dict[str, np.ndarray] = {}
    idf_parts, blocks = [], []
    for name in BLOCKS:
        doc_keys = [np.unique(d[name]) for d in docs]
        # Document frequency of every key; the vocabulary keeps those in `min_df` messages,
        # without the unknown id 0 (only possible in keys of messages scored later).
        found, df = np.unique(np.concatenate(doc_keys), return_counts=True)
        kept = df >= min_df
        vocabulary, df = found[kept], df[kept]
        # scikit-learn's smooth idf, so the weights match a TfidfVectorizer's.
        idf = np.log((1 + len(docs)) / (1 + df)) + 1.0
        blocks.append(_matrix([d[name] for d in docs], vocabulary, idf) * BLOCK_WEIGHTS[name])
        keys[name] = vocabulary.astype(np.int64)
        idf_parts.append(idf)
    X = sp.hstack(blocks, format="csr")

    calibrated = CalibratedClassifierCV(
        NBSVM(C=SVM_C, alpha=NB_ALPHA, plain_C=PLAIN_C, plain_weight=PLAIN_WEIGHT),
        method="sigmoid",
        cv=int(min(3, counts.min())),
        ensemble=False,
    )
    calibrated.fit(X, list(labels))
    fitted = calibrated.calibrated_classifiers_[0]
    svm = fitted.estimator
    # Both orders are the sorted labels; checked because the compiled model relies on it.
    assert list(svm.classes_) == list(calibrated.classes_)
    coef = svm.coef_
    intercept = svm.intercept_
    if len(classes) == 2:
        # A binary SVM has one margin for the second class; the first gets its negation.
        coef, intercept = np.vstack([-coef, coef]), np.concatenate([-intercept, intercept])
        # p(first) = 1 - p(second) = expit(a * margin + b), i.e. a calibrator (a, -b) on -margin.
        a = np.array([fitted.calibrators[0].a_] * 2)
        b = np.array([-fitted.calibrators[0].b_, fitted.calibrators[0].b_])
    else:
        a = np.array([c.a_ for c in fitted.calibrators])
        b = np.array([c.b_ for c in fitted.calibrators])
    model = CategoryModel(
        labels=[str(c) for c in calibrated.classes_],
        alphabet=_used(alphabet, [keys["full"], keys["title"]], CHAR_BITS, 3),
        lexicon=_used(lexicon, [keys["words"]], WORD_BITS, 2),
        keys=keys,
        idf=np.concatenate(idf_parts).astype(np.float32),
        coef=np.ascontiguousarray(coef.T, dtype=np.float32),
        intercept=intercept.astype(np.float64),
        sigmoid_a=a.astype(np.float64),
        sigmoid_b=b.astype(np.float64),
        user_words=user_words,
        threshold=threshold,
    )
    model.check()
    model._segmenter = segmenter  # already loaded: reuse it for validation scoring
    _verify(model, calibrated, X, titles, bodies)
    return model


class NBSVM(ClassifierMixin, BaseEstimator):
    """Linear SVMs, one per category against the rest, on features scaled by their naive-Bayes
    log-count ratio; `coef_` and `intercept_` are those of the unscaled features, shaped like
    a `LinearSVC`'s (one row for two categories, the second against the first).

    With `plain_weight` > 0, a plain `LinearSVC` (C=`plain_C`) on the unscaled features is
    fitted as well and its margins added, times `plain_weight`: an average of two linear
    models is one linear model, so the blend costs nothing at run time."""

    def __init__(
        self, C: float = 1.0, alpha: float = 1.0, plain_C: float = 1.0, plain_weight: float = 0.0
    ) -> None:
        self.C = C
        self.alpha = alpha
        self.plain_C = plain_C
        self.plain_weight = plain_weight

    def fit(self, X: sp.csr_matrix, y: Sequence[str]) -> "NBSVM":
        y = np.asarray(y)
        self.classes_ = np.unique(y)
        present = X.copy()
        present.data[:] = 1.0
        targets = self.classes_[1:] if len(self.classes_) == 2 else self.classes_
        coef, intercept = [], []
        for label in targets:
            positive = y == label
            # Smoothed share of messages of / not of `label` that hold each feature.
            p = self.alpha + np.asarray(present[positive].sum(axis=0)).ravel()
            q = self.alpha + np.asarray(present[~positive].sum(axis=0)).ravel()
            ratio = np.log((p / p.sum()) / (q / q.sum()))
            svm = LinearSVC(C=self.C)
            svm.fit(X.multiply(ratio).tocsr(), positive.astype(np.int8))
            coef.append(svm.coef_.ravel() * ratio)
            intercept.append(svm.intercept_[0])
        self.coef_ = np.vstack(coef)
        self.intercept_ = np.asarray(intercept)
        if self.plain_weight > 0:
            # Same row order: LinearSVC's classes are sorted too, and for two categories its
            # one row is the second against the first.
            plain = LinearSVC(C=self.plain_C).fit(X, y)
            self.coef_ = self.coef_ + self.plain_weight * plain.coef_
            self.intercept_ = self.intercept_ + self.plain_weight * plain.intercept_
        return self

    def decision_function(self, X: sp.csr_matrix) -> np.ndarray:
        scores = np.asarray(X @ self.coef_.T) + self.intercept_
        return scores.ravel() if len(self.classes_) == 2 else scores

    def predict(self, X: sp.csr_matrix) -> np.ndarray:
        scores = self.decision_function(X)
        if scores.ndim == 1:
            return self.classes_[(scores > 0).astype(int)]
        return self.classes_[np.argmax(scores, axis=1)]


def _matrix(doc_keys: list[np.ndarray], vocabulary: np.ndarray, idf: np.ndarray) -> sp.csr_matrix:
    # The same `tfidf` that scores a message at run time builds every training row.
    rows = [tfidf(k, vocabulary, idf) for k in doc_keys]
    indptr = np.cumsum([0, *(len(idx) for idx, _ in rows)])
    indices = np.concatenate([idx for idx, _ in rows]) if rows else np.empty(0, np.int64)
    data = np.concatenate([x for _, x in rows]) if rows else np.empty(0)
    return sp.csr_matrix((data, indices, indptr), shape=(len(doc_keys), len(vocabulary)))


def _used(ids: dict[str, int], vocabularies: list[np.ndarray], bits: int, order: int) -> dict:
    """Only the characters or words that occur in a kept key: the others score nothing, and
    leaving them out shrinks the model (their lookups then give the unknown id 0)."""
    mask = (1 << bits) - 1
    parts = [(v >> (bits * k)) & mask for v in vocabularies for k in range(order)]
    used = set(np.unique(np.concatenate(parts)).tolist()) if parts else set()
    return {item: i for item, i in ids.items() if i in used}


def _verify(
    model: CategoryModel,
    calibrated: CalibratedClassifierCV,
    X: sp.csr_matrix,
    titles: Sequence[str],
    bodies: Sequence[str],
) -> None:
    # The compiled model re-implements tf-idf and calibration; a model whose scores differ
    # from scikit-learn's on its own training rows is a bug and must not be written.
    rows = range(min(20, X.shape[0]))
    expected = calibrated.predict_proba(X[list(rows)])
    got = np.array([model.proba(titles[i], bodies[i]) for i in rows])
    if not np.allclose(got, expected, atol=1e-4):
        raise AssertionError("compiled model disagrees with scikit-learn")
