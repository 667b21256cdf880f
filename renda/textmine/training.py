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
naive Bayes did not (see bench/bench_textmine.py).

The blend is stacked with two more blends on views of the rows (`_stacked`): one on the title
block of every row with a title (full messages and the title-only rows), one on the full and
word blocks of the body-only rows. Per category, each view's margin gets its own weight, plus
a bias (`_view_weights`), learnt on held-out margins of a 4-fold cross-validation over the
full messages (copies of the held-out messages cleared from training), held towards the blend
alone by an L2 penalty (`STACK_L2`). All three views are linear in the same features, so the
stack is still one linear function: same model format, same cost per message. Its margins
are calibrated with one sigmoid per category fitted on cross-validated decisions of every row
(3 folds; one model trained on every row, rather than an average of per-fold models
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

Stacking, by the same 4-fold cross-validation, scored through `fit_category_model` itself
(calibrated argmax, against the unstacked model's calibrated 0.9221, 0.9214 and 0.9221 with
fold seeds 0, 1, 2): kept, the three views with per-category weights and biases, calibrated on
every row as before, 0.9261 (folds +0.0020, +0.0045, +0.0012, +0.0083), 0.9227 (+0.0055,
+0.0029, -0.0022, -0.0013) and 0.9233 (-0.0023, +0.0064, +0.0035, -0.0029): 8 of 12 folds up,
mean +0.0022; with seed 3, not used in choosing it, 0.9193 against 0.9191 (-0.0047, +0.0034,
+0.0037, -0.0014): over four seeds 10 of 16 folds up, mean +0.0017. The same stack calibrated
on the full messages' held-out margins instead lost: 0.9226, 0.9180, 0.9225. Chosen first on
held-out margins of the unstacked folds (meta weights learnt on three folds' margins, applied
to the fourth; uncalibrated, seeds 0/1/2 against 0.9219/0.9159/0.9203): views with per-category
weights and biases, L2 0.01, 0.9227/0.9203/0.9217 (mean +0.0022), and with seeds 3 and 4
0.9178/0.9200 against 0.9159/0.9198; L2 0.003 or 0.03 +0.0009 and +0.0015, the title view alone
+0.0014 to +0.0019. Rejected there: a single weight per view added to the blend (title 0.1-1.0:
+0.0008 to -0.0076; body 0.1-1.0: +0.0005 to -0.0040; a blend fitted on the full messages only:
-0.0007 to -0.0054; the word block alone: -0.0015 to -0.0077; complement naive Bayes 0.01-0.1:
-0.0004 to -0.0035); a multinomial logistic meta-model over all views' margins, C 0.01-1
(-0.0007 to -0.0085); one weight per view with per-category biases (+0.0013 to +0.0017);
per-category weights without biases (-0.0019 to +0.0008); six views (NB-SVM, plain SVM, title,
body, full-only, words): +0.0018 at L2 0.001 but -0.0002 with seeds 3 and 4. A
nearest-neighbour vote (cosine over the tf-idf rows, top 1/5/20 neighbours above 0.0-0.7,
weight 0.1-1.0) moved macro-F1 by -0.0070 to +0.0004: where a held-out message has a near copy
(cosine > 0.5, 148 of 2,005), the model already labels 142 of them right and the neighbour 143.
test.csv, scored once with the stacked model (bench/bench_textmine.py): macro-F1 0.9324,
accuracy 0.9348 (unstacked 0.9269, 0.9315)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import _SigmoidCalibration
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from renda.textmine.classifier import DEFAULT_THRESHOLD, CategoryModel
from renda.textmine.dataset import _keys as copy_keys
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
# Stacking (see `_stacked`): folds of the cross-validation over full messages whose held-out
# decisions the per-category view weights are learnt on, and how hard those weights are held
# to the plain blend (weight 1 for the whole-message view, 0 for the title and body views).
STACK_FOLDS = 4
STACK_L2 = 0.01


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

    has_title = np.array([bool(t) for t in (*titles, *extra_titles)])
    has_body = np.array([bool(b) for b in (*bodies, *extra_bodies)])
    # Copies of a message (its title, its body opening) among the labelled rows, so that the
    # stacking's cross-validation holds them out together, as test.csv was cut from train.csv.
    copies = [copy_keys(t, b) for t, b in zip(titles, bodies, strict=True)]
    starts = np.cumsum([0, *(len(keys[name]) for name in BLOCKS)])
    fitted = _stacked(X, np.asarray(y), weights, has_title, has_body, copies, starts)
    coef, intercept, a, b = fitted.coef, fitted.intercept, fitted.sigmoid_a, fitted.sigmoid_b
    model = CategoryModel(
        labels=[str(c) for c in fitted.classes],
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
    _verify(model, X, titles, bodies)
    return model


@dataclass
class _Fitted:
    """The stacked model folded into one linear function, and its calibration."""

    classes: np.ndarray
    coef: np.ndarray  # (n_classes, n_features)
    intercept: np.ndarray
    sigmoid_a: np.ndarray
    sigmoid_b: np.ndarray


def _stacked(
    X: sp.csr_matrix,
    y: np.ndarray,
    weights: np.ndarray,
    has_title: np.ndarray,
    has_body: np.ndarray,
    copies: list[set],
    starts: np.ndarray,
) -> _Fitted:
    """Three NB-SVM blends, each on a view of the rows (`_views`), combined per category:
    margin_c = sum over views of w[view, c] * margin_c(view) + bias_c. The weights are learnt
    (`_view_weights`) on held-out margins of a cross-validation over the labelled full
    messages, each fold's training rows cleared of copies of its held-out messages. One
    sigmoid per category is fitted on held-out combined margins of every row, 3 folds, as
    the unstacked model was calibrated. Every view is linear in the same features, so the
    combination is one linear function: the model format and scoring cost do not change.

    The first `len(copies)` rows are labelled; those after them (pseudo-labelled) are
    always in training."""
    classes = np.unique(y)
    target = np.searchsorted(classes, y)
    n_labelled = len(copies)
    views = _views(has_title, has_body, starts, X.shape[1])
    labelled = np.arange(n_labelled)
    full = labelled[has_title[:n_labelled] & has_body[:n_labelled]]
    _, full_counts = np.unique(target[full], return_counts=True)
    # Full messages are what the classifier is asked about; without two of every category
    # among them, all labelled rows stand in.
    held_rows = full if len(full_counts) == len(classes) and full_counts.min() >= 2 else labelled
    n_splits = int(min(STACK_FOLDS, np.bincount(target[held_rows]).min()))
    folds = list(
        StratifiedKFold(n_splits, shuffle=True, random_state=0).split(held_rows, target[held_rows])
    )
    held_out = np.zeros((len(views), len(held_rows), len(classes)))
    usable = np.ones(len(views), dtype=bool)
    for _, test in folds:
        held = held_rows[test]
        seen = set().union(*(copies[i] for i in held))
        keep = np.ones(len(y), dtype=bool)
        keep[:n_labelled] = [not (keys & seen) for keys in copies]
        keep[held] = False
        for v, (columns, rows) in enumerate(views):
            fitted = _fit_view(X, target, weights, len(classes), columns, rows & keep)
            if fitted is None:
                usable[v] = False
            else:
                held_out[v, test] = X[held] @ fitted[0].T + fitted[1]
    if not usable[0]:
        raise ValueError("too few messages per category to cross-validate")
    held_out = held_out[usable]
    held_target = target[held_rows]
    w, b = _view_weights(held_out, held_target)
    used = [views[v] for v in np.flatnonzero(usable)]
    # Calibration as before stacking (scikit-learn's CalibratedClassifierCV, cv=3): one sigmoid
    # per category on held-out combined margins of every row, in 3 stratified folds.
    margins = np.zeros((len(y), len(classes)))
    n_folds = int(min(3, np.bincount(target).min()))
    for train, test in StratifiedKFold(n_folds).split(np.zeros(len(y)), target):
        keep = np.zeros(len(y), dtype=bool)
        keep[train] = True
        for weight, (columns, rows) in zip(w, used, strict=True):
            fitted = _fit_view(X, target, weights, len(classes), columns, rows & keep)
            if fitted is not None:
                margins[test] += weight * (X[test] @ fitted[0].T + fitted[1])
        margins[test] += b
    sigmoid_a, sigmoid_b = zip(
        *(_sigmoid(margins[:, k], target == k, weights) for k in range(len(classes))),
        strict=True,
    )
    coef = np.zeros((len(classes), X.shape[1]))
    intercept = b.copy()
    for weight, (columns, rows) in zip(w, used, strict=True):
        view_coef, view_intercept = _fit_view(X, target, weights, len(classes), columns, rows)
        coef += weight[:, None] * view_coef
        intercept += weight * view_intercept
    return _Fitted(classes, coef, intercept, np.array(sigmoid_a), np.array(sigmoid_b))


def _views(
    has_title: np.ndarray, has_body: np.ndarray, starts: np.ndarray, n_features: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Columns and rows of each view: the whole message (every block, every row); the title
    (its block, rows with a title); the body (the full and word blocks of rows without a
    title, which hold the body alone). `starts` are the blocks' first columns, in `BLOCKS`
    order (full, title, words), then the number of columns."""
    title = np.arange(starts[1], starts[2])
    body = np.r_[starts[0] : starts[1], starts[2] : starts[3]]
    every = np.ones(len(has_title), dtype=bool)
    return [(np.arange(n_features), every), (title, has_title), (body, ~has_title & has_body)]


def _fit_view(
    X: sp.csr_matrix,
    target: np.ndarray,
    weights: np.ndarray,
    n_classes: int,
    columns: np.ndarray,
    rows: np.ndarray,
) -> tuple[np.ndarray, np.ndarray] | None:
    """The NB-SVM blend on `rows` and `columns`, as coefficients over all columns (zero
    elsewhere) and an intercept per category; a category without rows in the view gets no
    weights and the intercept -1 (one-against-the-rest "no"). None under two categories."""
    present = np.unique(target[rows])
    if len(present) < 2:
        return None
    w = weights[rows]
    svm = NBSVM(C=SVM_C, alpha=NB_ALPHA, plain_C=PLAIN_C, plain_weight=PLAIN_WEIGHT).fit(
        X[rows][:, columns], target[rows], sample_weight=None if np.all(w == 1) else w
    )
    view_coef, view_intercept = svm.coef_, svm.intercept_
    if len(present) == 2:
        # One margin for the second category; the first one's is its negation.
        view_coef = np.vstack([-view_coef, view_coef])
        view_intercept = np.concatenate([-view_intercept, view_intercept])
    coef = np.zeros((n_classes, X.shape[1]))
    coef[np.ix_(present, columns)] = view_coef
    intercept = np.full(n_classes, -1.0)
    intercept[present] = view_intercept
    return coef, intercept


def _view_weights(margins: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per view and category weights w and per category biases b of the combined margin
    sum_v w[v, c] * margins[v, :, c] + b[c], by multinomial log-loss with an L2 penalty
    (`STACK_L2`) pulling w towards the plain model (1 for the first view, 0 for the others)."""
    n_views, n, n_classes = margins.shape
    prior = np.zeros((n_views, n_classes))
    prior[0] = 1.0
    size = n_views * n_classes
    rows = np.arange(n)

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = params[:size].reshape(n_views, n_classes), params[size:]
        z = np.einsum("vnc,vc->nc", margins, w) + b
        z -= z.max(axis=1, keepdims=True)
        log_total = np.log(np.exp(z).sum(axis=1))
        value = (log_total - z[rows, target]).mean() + STACK_L2 * ((w - prior) ** 2).sum()
        grad = np.exp(z - log_total[:, None])
        grad[rows, target] -= 1.0
        grad /= n
        grad_w = np.einsum("vnc,nc->vc", margins, grad) + 2 * STACK_L2 * (w - prior)
        return float(value), np.concatenate([grad_w.ravel(), grad.sum(axis=0)])

    start = np.concatenate([prior.ravel(), np.zeros(n_classes)])
    params = minimize(loss, start, jac=True, method="L-BFGS-B").x
    return params[:size].reshape(n_views, n_classes), params[size:]


def _sigmoid(margins: np.ndarray, positive: np.ndarray, weights: np.ndarray) -> tuple[float, float]:
    """Platt's sigmoid p = expit(-(a * margin + b)), as scikit-learn's sigmoid calibration."""
    calibrator = _SigmoidCalibration().fit(
        margins, positive.astype(int), sample_weight=None if np.all(weights == 1) else weights
    )
    return float(calibrator.a_), float(calibrator.b_)


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
    model: CategoryModel, X: sp.csr_matrix, titles: Sequence[str], bodies: Sequence[str]
) -> None:
    # The compiled model re-implements tf-idf; a model whose scores differ from the training
    # matrix's on its own training rows is a bug and must not be written.
    rows = list(range(min(20, len(titles))))
    margins = np.asarray(X[rows] @ model.coef.astype(np.float64)) + model.intercept
    p = 1.0 / (1.0 + np.exp(model.sigmoid_a * margins + model.sigmoid_b))
    expected = p / p.sum(axis=1, keepdims=True)
    got = np.array([model.proba(titles[i], bodies[i]) for i in rows])
    if not np.allclose(got, expected, atol=1e-4):
        raise AssertionError("compiled model disagrees with the training features")
