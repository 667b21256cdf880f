"""Category classifier on the competition data in ../shared/data/govmsg: the model against a
plain baseline (character 1–3-gram TF-IDF + linear SVM) trained and scored in the same run.

Prints validation and test accuracy / macro-F1, training time, model size on disk and the
latency of classifying one message at a time (single thread, normalisation and features
included: median, p95 and mean), and what the word block's max-match costs against running
jieba on the same text. Choices were made on validation data cut from train.csv (the split
below, and 5-fold cross-validation over its full messages); test.csv is only scored.

With --unlabelled the model is self-trained (`fit_category_model`'s `unlabelled`) on the
unlabelled messages of the same board, messages_hot.csv and messages_replies.csv, read where
they are; those that copy a test.csv message (or, for the validation probe, a validation
message) by title, body or body opening are dropped first.
"""

import os

# One core, as in production triage: set before numpy loads its BLAS.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "govmsg"
UNLABELLED = ("messages_hot.csv", "messages_replies.csv")
sys.path.insert(0, str(REPO))


def _baseline(train, test, validation_train, validation) -> dict[str, dict]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import LinearSVC

    from renda.textmine.evaluation import scores

    def fit(rows):
        pipe = make_pipeline(TfidfVectorizer(analyzer="char", ngram_range=(1, 3)), LinearSVC())
        pipe.fit([f"{e.title}\n{e.body}" for e in rows], [e.label for e in rows])
        return pipe

    def score(pipe, rows):
        predicted = pipe.predict([f"{e.title}\n{e.body}" for e in rows])
        return scores([e.label for e in rows], list(predicted))

    started = time.perf_counter()
    final = fit(train)
    seconds = time.perf_counter() - started
    result = {"validation": score(fit(validation_train), validation), "test": score(final, test)}
    times = []
    for e in test:
        start = time.perf_counter()
        final.predict([f"{e.title}\n{e.body}"])
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    result["latency_ms"] = {
        "median": statistics.median(times),
        "p95": times[int(0.95 * len(times))],
    }
    result["training_seconds"] = seconds
    return result


def _word_cost(model, test) -> dict[str, float]:
    """CPU time of the word block's segmentation per message: the model's max-match against
    jieba (with the user dictionary) on the same title and body opening."""
    from renda.textmine.features import BODY_WORD_CHARS, TITLE_CHARS, max_match
    from renda.textmine.segment import Segmenter

    segmenter = Segmenter(model.user_words)
    segmenter.cut("预热")  # loads jieba's dictionary, not part of a message's cost
    prefixes = model._lookup.prefixes
    texts = [(e.title[:TITLE_CHARS].lower(), e.body[:BODY_WORD_CHARS].lower()) for e in test]

    def median_ms(cut) -> float:
        times = []
        for title, body in texts:
            start = time.thread_time()
            cut(title)
            cut(body)
            times.append((time.thread_time() - start) * 1000)
        return statistics.median(times)

    return {
        "max_match": median_ms(lambda text: max_match(text, model.lexicon, prefixes)),
        "jieba": median_ms(lambda text: segmenter.cut(text, normalized=True)),
    }


def _size_mb(directory: Path) -> float:
    return sum(p.stat().st_size for p in directory.iterdir()) / 2**20


def _line(name: str, s: dict) -> str:
    return f"  {name:<22} accuracy {s['accuracy']:.4f}  macro-F1 {s['macro_f1']:.4f}  (n={s['n']})"


def main() -> None:
    parser = argparse.ArgumentParser(description="the category classifier on ../shared/data/govmsg")
    parser.add_argument(
        "--unlabelled",
        action="store_true",
        help=f"self-train on {' and '.join(UNLABELLED)} (in {DATA})",
    )
    args = parser.parse_args()
    if not (DATA / "train.csv").is_file() or not (DATA / "test.csv").is_file():
        print(f"bench_textmine: skipped, no data in {DATA}")
        return
    from renda.textmine.dataset import (
        read_labelled_csv,
        read_unlabelled_csv,
        validation_split,
        without_copies,
    )
    from renda.textmine.evaluation import evaluate, scores
    from renda.textmine.training import fit_category_model

    train = read_labelled_csv(DATA / "train.csv")
    test = read_labelled_csv(DATA / "test.csv")
    validation_train, validation = validation_split(train, fraction=0.2, seed=0)
    pool = []
    if args.unlabelled:
        pool = [m for name in UNLABELLED for m in read_unlabelled_csv(DATA / name)]
        pool = without_copies(pool, test)

    def fit(rows, unlabelled=()):
        return fit_category_model(
            [e.title for e in rows],
            [e.body for e in rows],
            [e.label for e in rows],
            unlabelled=unlabelled,
        )

    probe = fit(validation_train, without_copies(pool, validation))
    predicted = probe.predict_many([(e.title, e.body) for e in validation])
    val = scores([e.label for e in validation], [p.label for p in predicted])
    full_rows = [i for i, e in enumerate(validation) if e.id.startswith("F")]
    val_full = scores(
        [validation[i].label for i in full_rows], [predicted[i].label for i in full_rows]
    )

    started = time.perf_counter()
    model = fit(train, pool)
    training_seconds = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        model.save(Path(tmp), {"training_size": len(train)})
        size = _size_mb(Path(tmp))
    result = evaluate(model, test)
    base = _baseline(train, test, validation_train, validation)

    print(f"category classifier: train.csv {len(train)} rows, test.csv {len(test)} messages")
    if args.unlabelled:
        print(
            f"  self-trained on {len(set(pool))} distinct unlabelled messages "
            f"({', '.join(UNLABELLED)}, copies of test.csv messages dropped)"
        )
    print(
        f"  validation split: {len(validation_train)} train / {len(validation)} held out (seed 0)"
    )
    print(
        "model (char 1-3 full + title, max-match words 1-2 on a jieba-built lexicon, "
        "NB-SVM + plain linear SVM blends on message, title and body views, stacked per category, "
        "sigmoid calibration):"
    )
    print(_line("validation", val))
    print(_line("validation, full msgs", val_full))
    print(_line("test", result))
    for label, f1 in result["per_class_f1"].items():
        print(f"    F1 {f1:.4f}  {label}")
    weakest = min(result["per_class_f1"], key=result["per_class_f1"].get)
    print(f"  weakest class          {weakest} F1 {result['per_class_f1'][weakest]:.4f} (test)")
    lat, cpu = result["latency_ms"], result["cpu_ms"]
    print(f"  training time          {training_seconds:.1f} s ({len(train)} rows)")
    print(f"  model size on disk     {size:.1f} MB ({model.coef.shape[0]} features)")
    print(
        f"  latency per message    median {lat['median']:.3f} ms, p95 {lat['p95']:.3f} ms, "
        f"mean {lat['mean']:.3f} ms (wall)"
    )
    print(
        f"  CPU time per message   median {cpu['median']:.3f} ms, p95 {cpu['p95']:.3f} ms, "
        f"mean {cpu['mean']:.3f} ms"
    )
    predictions = model.predict_many([(e.title, e.body) for e in test])
    top3 = sum(e.label in [lab for lab, _ in p.top] for e, p in zip(test, predictions, strict=True))
    sure = [(e, p) for e, p in zip(test, predictions, strict=True) if not p.unsure]
    sure_right = sum(e.label == p.label for e, p in sure)
    mean_score = statistics.fmean(p.score for p in predictions)
    print(
        f"  calibration            top-3 accuracy {top3 / len(test):.4f}; mean top score "
        f"{mean_score:.4f} against accuracy {result['accuracy']:.4f}; "
        f"{len(test) - len(sure)} of {len(test)} unsure (score < {model.threshold}), "
        f"accuracy of the others {sure_right / max(1, len(sure)):.4f}"
    )
    words = _word_cost(model, test)
    print(
        f"  words per message      max-match median {words['max_match']:.3f} ms, "
        f"jieba median {words['jieba']:.3f} ms (CPU, same text; scoring uses max-match)"
    )
    print("baseline (char 1-3 TF-IDF + LinearSVC, same run):")
    print(_line("validation", base["validation"]))
    print(_line("test", base["test"]))
    print(f"  training time          {base['training_seconds']:.1f} s")
    print(
        f"  latency per message    median {base['latency_ms']['median']:.3f} ms, "
        f"p95 {base['latency_ms']['p95']:.3f} ms (wall, scikit-learn pipeline)"
    )
    ratio = result["macro_f1"] / base["test"]["macro_f1"]
    print(
        f"model / baseline test macro-F1: {result['macro_f1']:.4f} / "
        f"{base['test']['macro_f1']:.4f} = {ratio:.3f} "
        f"({result['macro_f1'] - base['test']['macro_f1']:+.4f})"
    )


if __name__ == "__main__":
    main()
