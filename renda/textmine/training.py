"""Fitting the category classifier with scikit-learn, compiled into a `CategoryModel`.

scikit-learn is needed only here: the fitted vectorisers, SVM and calibrators are reduced to
arrays and dictionaries that `classifier.py` scores with numpy alone.

The SVM (not a logistic model) because it scored higher on the validation split; its margins
are calibrated with one sigmoid per category fitted on cross-validated decisions
(`ensemble=False`: one SVM trained on every row, rather than an average of per-fold SVMs
that would triple the model's size).
"""

from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from renda.textmine.classifier import DEFAULT_THRESHOLD, CategoryModel
from renda.textmine.features import BLOCK_WEIGHTS, BLOCKS, identity, message_terms
from renda.textmine.segment import Segmenter

SVM_C = 1.0
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
    docs = [message_terms(segmenter, t, b) for t, b in zip(titles, bodies, strict=True)]

    vocabularies: dict[str, dict[str, int]] = {}
    idf_parts, blocks = [], []
    offset = 0
    for name in BLOCKS:
        vectorizer = TfidfVectorizer(
            analyzer=identity, sublinear_tf=True, min_df=min(MIN_DF, len(docs)), dtype=np.float64
        )
        blocks.append(vectorizer.fit_transform([d[name] for d in docs]) * BLOCK_WEIGHTS[name])
        vocabularies[name] = {t: int(j) + offset for t, j in vectorizer.vocabulary_.items()}
        idf_parts.append(vectorizer.idf_)
        offset += len(vectorizer.vocabulary_)
    X = sp.hstack(blocks, format="csr")

    calibrated = CalibratedClassifierCV(
        LinearSVC(C=SVM_C, class_weight="balanced"),
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
        vocabularies=vocabularies,
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
