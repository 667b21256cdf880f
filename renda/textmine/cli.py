"""Command line: `python -m renda.textmine {train,classify,evaluate}`.

train     --data PATH.csv --out MODEL_DIR   fit on a CSV (id, title, body, label);
          [--unlabelled PATH.csv ...]       self-trained with unlabelled messages (columns
                                            title, body or 留言主题, 留言详情)
classify  --model MODEL_DIR                 JSON lines {"title", "body"} on stdin, one
                                            {"label", "score", "top", "unsure"} line out each
evaluate  --model MODEL_DIR --data PATH.csv accuracy, macro-F1, per-class F1, ms per message
dedup-eval [--data messages_hot.csv]        precision and recall of near-duplicate detection on
                                            edited copies and hard negatives (dedup_eval)
"""

import argparse
import datetime as dt
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

EXIT_USAGE = 2


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False)


def _read_words(path: Path | None) -> list[str]:
    if path is None:
        return []
    return [w.strip() for w in path.read_text(encoding="utf-8").splitlines() if w.strip()]


def cmd_train(args: argparse.Namespace) -> int:
    from renda.textmine.classifier import versions
    from renda.textmine.dataset import (
        read_labelled_csv,
        read_unlabelled_csv,
        validation_split,
        without_copies,
    )
    from renda.textmine.evaluation import scores
    from renda.textmine.training import fit_category_model

    examples = read_labelled_csv(args.data)
    user_words = _read_words(args.user_words)
    unlabelled = [m for path in args.unlabelled for m in read_unlabelled_csv(path)]
    started = time.perf_counter()
    validation: dict[str, Any] | None = None
    if args.validation > 0:
        # Scores of a model fitted without the validation rows; the saved model then learns
        # from every row.
        train, held_out = validation_split(examples, fraction=args.validation, seed=args.seed)
        probe = fit_category_model(
            [e.title for e in train],
            [e.body for e in train],
            [e.label for e in train],
            user_words=user_words,
            # Unlabelled copies of validation messages would leak their text into the probe.
            unlabelled=without_copies(unlabelled, held_out),
        )
        predicted = probe.predict_many([(e.title, e.body) for e in held_out])
        validation = {
            "fraction": args.validation,
            "seed": args.seed,
            **scores([e.label for e in held_out], [p.label for p in predicted]),
        }
        print(
            f"validation: {validation['n']} rows, accuracy {validation['accuracy']:.4f}, "
            f"macro-F1 {validation['macro_f1']:.4f}",
            file=sys.stderr,
        )
    model = fit_category_model(
        [e.title for e in examples],
        [e.body for e in examples],
        [e.label for e in examples],
        user_words=user_words,
        threshold=args.threshold,
        unlabelled=unlabelled,
    )
    seconds = time.perf_counter() - started
    model.save(
        args.out,
        {
            "trained_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "training_file": args.data.name,
            "training_size": len(examples),
            "unlabelled_files": [path.name for path in args.unlabelled],
            "unlabelled_size": len(unlabelled),
            "training_seconds": round(seconds, 1),
            "validation": validation,
            "versions": versions(),
        },
    )
    print(f"model written to {args.out} ({len(examples)} rows, {seconds:.0f} s)", file=sys.stderr)
    return 0


def _message(line: str) -> tuple[str, str]:
    try:
        obj = json.loads(line)
    except ValueError as e:
        raise ValueError(f"not JSON: {e}") from e
    if not isinstance(obj, dict):
        raise ValueError('expected an object {"title": ..., "body": ...}')
    title, body = obj.get("title") or "", obj.get("body") or ""
    if not isinstance(title, str) or not isinstance(body, str):
        raise ValueError('"title" and "body" must be strings')
    return title, body


def classify_stream(model: Any, lines: TextIO, out: TextIO) -> int:
    """One output line per input line, in order; a bad line gets an error line, not a crash."""
    errors = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            title, body = _message(line)
        except ValueError as e:
            errors += 1
            out.write(_dump({"error": str(e), "line": number}) + "\n")
            continue
        out.write(_dump(model.predict(title, body).as_json()) + "\n")
        out.flush()  # a caller may be waiting for this line before sending the next
    return errors


def cmd_classify(args: argparse.Namespace) -> int:
    from renda.textmine.classifier import CategoryModel

    model = CategoryModel.load(args.model)
    if args.threshold is not None:
        model.threshold = args.threshold
    classify_stream(model, sys.stdin, sys.stdout)
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from renda.textmine.classifier import CategoryModel
    from renda.textmine.dataset import read_labelled_csv
    from renda.textmine.evaluation import evaluate

    model = CategoryModel.load(args.model)
    result = evaluate(model, read_labelled_csv(args.data))
    if args.json:
        print(_dump(result))
        return 0
    print(f"messages   {result['n']}")
    print(f"accuracy   {result['accuracy']:.4f}")
    print(f"macro-F1   {result['macro_f1']:.4f}")
    for label, f1 in result["per_class_f1"].items():
        print(f"  F1 {f1:.4f}  {label}")
    lat = result["latency_ms"]
    cpu = result["cpu_ms"]
    print(f"latency    median {lat['median']:.3f} ms, p95 {lat['p95']:.3f} ms per message (wall)")
    print(f"cpu time   median {cpu['median']:.3f} ms, p95 {cpu['p95']:.3f} ms per message")
    return 0


def cmd_dedup_eval(args: argparse.Namespace) -> int:
    from renda.textmine.dedup_eval import DATA_FILE, default_data_dir, evaluate, read_messages

    path = args.data or default_data_dir() / DATA_FILE
    messages = read_messages(path)
    if args.messages:
        messages = messages[: args.messages]
    result = evaluate(messages, seed=args.seed, sources=args.sources)
    result.pop("pairs_list")
    result.pop("scores")
    if args.json:
        print(_dump(result))
        return 0
    print(f"messages   {result['messages']}, pairs {result['pairs']}, seed {result['seed']}")
    print(f"threshold  {result['threshold']:.2f} (chosen on the dev half)")
    for split in ("dev", "test"):
        r = result[split]
        print(
            f"{split:10s} precision {r['precision']:.4f}  recall {r['recall']:.4f}  "
            f"F1 {r['f1']:.4f}  (tp {r['tp']}, fp {r['fp']}, fn {r['fn']})"
        )
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m renda.textmine", description=__doc__.split("\n")[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)

    train = sub.add_parser("train", help="fit the category classifier on a labelled CSV")
    train.add_argument("--data", type=Path, required=True, help="CSV with id, title, body, label")
    train.add_argument("--out", type=Path, required=True, help="model directory to write")
    train.add_argument("--user-words", type=Path, help="place names and vocabulary, one a line")
    train.add_argument(
        "--unlabelled",
        type=Path,
        action="append",
        default=[],
        help="CSV of unlabelled messages (title, body or 留言主题, 留言详情) for self-training; "
        "repeatable",
    )
    train.add_argument(
        "--validation",
        type=float,
        default=0.2,
        help="fraction held out to report validation scores (0: none)",
    )
    train.add_argument("--seed", type=int, default=0)
    train.add_argument(
        "--threshold",
        type=float,
        default=0.5,
        help='below this score a suggestion is marked "unsure"',
    )
    train.set_defaults(func=cmd_train)

    classify = sub.add_parser("classify", help="classify JSON lines from stdin")
    classify.add_argument("--model", type=Path, required=True)
    classify.add_argument("--threshold", type=float, help="override the model's threshold")
    classify.set_defaults(func=cmd_classify)

    evaluate = sub.add_parser("evaluate", help="score a model on a labelled CSV")
    evaluate.add_argument("--model", type=Path, required=True)
    evaluate.add_argument("--data", type=Path, required=True)
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate.set_defaults(func=cmd_evaluate)

    dedup = sub.add_parser("dedup-eval", help="score near-duplicate detection on messages_hot.csv")
    dedup.add_argument("--data", type=Path, help="messages_hot.csv (default: ../shared/...)")
    dedup.add_argument("--seed", type=int, default=0)
    dedup.add_argument("--sources", type=int, default=1500, help="messages given edited copies")
    dedup.add_argument("--messages", type=int, help="use only the first N messages")
    dedup.add_argument("--json", action="store_true", help="print one JSON object")
    dedup.set_defaults(func=cmd_dedup_eval)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from renda.textmine.classifier import ModelError
    from renda.textmine.dataset import DatasetError

    args = _parser().parse_args(argv)
    # Chinese text on a terminal or pipe that is not UTF-8 would otherwise crash on output.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    if hasattr(sys.stdin, "reconfigure"):
        sys.stdin.reconfigure(encoding="utf-8", errors="replace")
    try:
        return int(args.func(args))
    except (ModelError, DatasetError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_USAGE
