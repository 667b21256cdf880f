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

Self-training (`unlabelled`, the train command's --unlabelled), by the same cross-validation
with the board's unlabelled messages (messages_hot.csv and messages_replies.csv: 6,975
distinct after dropping copies of test.csv, and in each fold copies of its held-out
messages): a first calibrated model labels them, and the pseudo-labelled rows join the fold's
training rows in its feature space. Kept: score >= 0.9, per category at most 0.1 x its
training rows (about 1,230 rows), weight 0.3: macro-F1 0.9230 against 0.9219 (folds +0.0018,
-0.0006, +0.0031, 0.0000); with two other fold seeds 0.9175 against 0.9159 and 0.9219 against
0.9203; 8 of 12 folds up, 3 down, mean +0.0014. Rejected: without the per-category cap, where
half the pseudo-labels are 城乡建设, every threshold and weight lost (first fold, score 0.5-0.9,
weight 0.3-1.0: -0.0018 to -0.0147; all folds, 0.95 at weight 0.1 0.9184, 0.95 at 0.3 0.9147,
0.98 at 0.3 0.9206); caps 0.25 (0.9207 at weight 0.3, 0.9200 at score 0.7 and weight 1.0),
0.15 at weight 0.5 (0.9217), 0.2 at weight 0.15 (0.9214), 0.1 at weight 0.6 (0.9224) or at
score 0.8 and weight 0.2 (0.9221), 0.05 (second seed, 0.9153-0.9159 against 0.9159); the
pseudo-labels counted in the naive-Bayes ratios only, the SVMs on labelled rows (score 0.9:
0.9205-0.9208; score 0.5 at weight 1.0: 0.9234 but 0.9157 against 0.9159 with the second
seed, which gave 0.9152 and 0.9168 for all pseudo-labels at weight 1 and 2); the unlabelled
messages in the vocabulary and idf only (0.9186). The model's word block already holds the
bigrams of its max-match words. On test.csv the self-trained model (1,285 pseudo-labelled
rows) moves calibrated scores by up to 0.08 but changes no argmax: macro-F1 0.9269 either way.
Also rejected, a second stage for the most confused pairs (where a message's two best
categories are the pair, a binary NB-SVM blend fitted on the pair's rows decides; it would
need a new model format): 商贸旅游/城乡建设 0.9225 (folds -0.0013, +0.0019, +0.0017, 0.0000),
劳动和社会保障/城乡建设 0.9209, 交通运输/城乡建设 0.9178, against 0.9219.
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
# Self-training on unlabelled messages (`fit_category_model`'s `unlabelled`): a first model's
# labels kept where its calibrated score is at least PSEUDO_MIN_PROBA, per category at most
# PSEUDO_CAP times the category's training rows, fitted at weight PSEUDO_WEIGHT.
PSEUDO_MIN_PROBA = 0.9
PSEUDO_CAP = 0.1
PSEUDO_WEIGHT = 0.3


def fit_category_model(
    titles: Sequence[str],
    bodies: Sequence[str],
    labels: Sequence[str],
    *,
    user_words: Iterable[str] = (),
    threshold: float = DEFAULT_THRESHOLD,
    unlabelled: Sequence[tuple[str, str]] = (),
) -> CategoryModel:
    """Fit on normalised titles and bodies (see `normalize`) and their category labels.

    With `unlabelled` (normalised (title, body) pairs without a label), the model is
    self-trained: a first model labels them, and the most confident of each category
    (`pseudo_labelled`) join the training rows at weight `PSEUDO_WEIGHT` for a second fit in
    the first one's feature space."""
    user_words = tuple(user_words)
    model = _fit(titles, bodies, labels, user_words=user_words, threshold=threshold)
    if not unlabelled:
        return model
    extra_titles, extra_bodies, extra_labels = pseudo_labelled(model, labels, unlabelled)
    return _fit(
        titles,
        bodies,
        labels,
        user_words=user_words,
        threshold=threshold,
        extra=(extra_titles, extra_bodies, extra_labels),
        segmenter=model._segmenter,
    )


def pseudo_labelled(
    model: CategoryModel,
    labels: Sequence[str],
    unlabelled: Sequence[tuple[str, str]],
    *,
    min_proba: float = PSEUDO_MIN_PROBA,
    cap: float = PSEUDO_CAP,
) -> tuple[list[str], list[str], list[str]]:
    """The unlabelled messages `model` is surest of: calibrated score at least `min_proba`,
    and per category at most `cap` times its number of training rows, highest scores first
    (without the cap, most would be 城乡建设, the board's commonest topic, and skew the
    classes). Titles, bodies and labels; repeated messages count once."""
    messages = list(dict.fromkeys((t, b) for t, b in unlabelled if t or b))
    if not messages:
        return [], [], []
    proba = np.array([model.proba(t, b) for t, b in messages])
    best, score = proba.argmax(axis=1), proba.max(axis=1)
    classes, counts = np.unique(np.asarray(labels), return_counts=True)
    quota = dict(zip(classes.tolist(), counts.tolist(), strict=True))
    chosen: list[int] = []
    for k, label in enumerate(model.labels):
        rows = np.flatnonzero((best == k) & (score >= min_proba))
        rows = rows[np.argsort(-score[rows], kind="stable")]
        chosen.extend(rows[: int(cap * quota.get(label, 0))].tolist())
    chosen.sort()
    return (
        [messages[i][0] for i in chosen],
        [messages[i][1] for i in chosen],
        [model.labels[best[i]] for i in chosen],
    )


def _fit(
    titles: Sequence[str],
    bodies: Sequence[str],
    labels: Sequence[str],
    *,
    user_words: tuple[str, ...],
    threshold: float,
    extra: tuple[Sequence[str], Sequence[str], Sequence[str]] = ((), (), ()),
    segmenter: Segmenter | None = None,
) -> CategoryModel:
    """One fit. The vocabulary is built from the labelled rows alone; `extra` rows (titles,
    bodies, pseudo-labels) are mapped into it and fitted at weight `PSEUDO_WEIGHT`."""
    classes, counts = np.unique(np.asarray(labels), return_counts=True)
    if len(classes) < 2:
        raise ValueError("training needs at least two categories")
    if counts.min() < 2:
        raise ValueError("every category needs at least two examples")
    segmenter = segmenter or Segmenter(user_words)
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
    extra_titles, extra_bodies, extra_labels = extra
    extra_docs = [
        message_keys(alphabet, lexicon, t, b, lookup)
        for t, b in zip(extra_titles, extra_bodies, strict=True)
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
        rows = [d[name] for d in docs] + [d[name] for d in extra_docs]
        blocks.append(_matrix(rows, vocabulary, idf) * BLOCK_WEIGHTS[name])
        keys[name] = vocabulary.astype(np.int64)
        idf_parts.append(idf)
    X = sp.hstack(blocks, format="csr")
    y = [*labels, *extra_labels]
    weights = np.concatenate([np.ones(len(docs)), np.full(len(extra_docs), PSEUDO_WEIGHT)])

    calibrated = CalibratedClassifierCV(
        NBSVM(C=SVM_C, alpha=NB_ALPHA, plain_C=PLAIN_C, plain_weight=PLAIN_WEIGHT),
        method="sigmoid",
        cv=int(min(3, counts.min())),
        ensemble=False,
    )
    calibrated.fit(X, y, sample_weight=weights if extra_docs else None)
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

    def fit(
        self, X: sp.csr_matrix, y: Sequence[str], sample_weight: np.ndarray | None = None
    ) -> "NBSVM":
        y = np.asarray(y)
        self.classes_ = np.unique(y)
        present = X.copy()
        present.data[:] = 1.0
        if sample_weight is not None:
            # A row's weight counts in the naive-Bayes counts as in the SVMs' losses.
            present = sp.diags(np.asarray(sample_weight, dtype=np.float64)) @ present
        targets = self.classes_[1:] if len(self.classes_) == 2 else self.classes_
        coef, intercept = [], []
        for label in targets:
            positive = y == label
            # Smoothed share of messages of / not of `label` that hold each feature.
            p = self.alpha + np.asarray(present[positive].sum(axis=0)).ravel()
            q = self.alpha + np.asarray(present[~positive].sum(axis=0)).ravel()
            ratio = np.log((p / p.sum()) / (q / q.sum()))
            svm = LinearSVC(C=self.C)
            svm.fit(
                X.multiply(ratio).tocsr(), positive.astype(np.int8), sample_weight=sample_weight
            )
            coef.append(svm.coef_.ravel() * ratio)
            intercept.append(svm.intercept_[0])
        self.coef_ = np.vstack(coef)
        self.intercept_ = np.asarray(intercept)
        if self.plain_weight > 0:
            # Same row order: LinearSVC's classes are sorted too, and for two categories its
            # one row is the second against the first.
            plain = LinearSVC(C=self.plain_C).fit(X, y, sample_weight=sample_weight)
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
