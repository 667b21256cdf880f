"""Labelled messages from CSV files, unlabelled ones for self-training, and the validation
split cut from the training data."""

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from renda.textmine.normalize import normalize

REQUIRED_COLUMNS = ("title", "body", "label")
# Title and body columns of an unlabelled CSV: this project's names or the message board's
# (the competition's 附件3 and 附件4).
UNLABELLED_COLUMNS = (("title", "body"), ("留言主题", "留言详情"))
_NO_SPACE = re.compile(r"\s+")


class DatasetError(ValueError):
    """The CSV file cannot be used for training or evaluation."""


@dataclass(frozen=True, slots=True)
class Example:
    id: str
    title: str
    body: str
    label: str


def read_labelled_csv(path: Path) -> list[Example]:
    """Rows with columns id, title, body, label; text normalised, rows without text or label
    dropped (an empty row teaches nothing and would only skew the class counts)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or ())]
            if missing:
                raise DatasetError(f"{path}: missing column(s) {', '.join(missing)}")
            examples = []
            for n, row in enumerate(reader, start=1):
                title, body = normalize(row["title"]), normalize(row["body"])
                label = (row["label"] or "").strip()
                if label and (title or body):
                    examples.append(Example((row.get("id") or str(n)).strip(), title, body, label))
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise DatasetError(f"{path}: {e}") from e
    if not examples:
        raise DatasetError(f"{path}: no labelled rows")
    return examples


def read_unlabelled_csv(path: Path) -> list[tuple[str, str]]:
    """Normalised (title, body) of every row with text, from columns title and body or
    留言主题 and 留言详情; other columns (a label among them) are ignored."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            fields = reader.fieldnames or ()
            columns = next((c for c in UNLABELLED_COLUMNS if set(c) <= set(fields)), None)
            if columns is None:
                names = " or ".join("/".join(c) for c in UNLABELLED_COLUMNS)
                raise DatasetError(f"{path}: needs columns {names}")
            messages = []
            for row in reader:
                title, body = normalize(row[columns[0]]), normalize(row[columns[1]])
                if title or body:
                    messages.append((title, body))
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise DatasetError(f"{path}: {e}") from e
    return messages


def without_copies(
    messages: Sequence[tuple[str, str]], examples: Sequence[Example]
) -> list[tuple[str, str]]:
    """The (title, body) messages that repeat none of `examples` by title, body or body
    opening (the rule that kept test.csv apart from train.csv): unlabelled messages that
    copy an evaluation message must not be learnt from."""
    seen = set().union(*(_overlap_keys(e) for e in examples))
    return [(t, b) for t, b in messages if not (_keys(t, b) & seen)]


def _overlap_keys(example: Example) -> set[tuple[str, str]]:
    # The same message can appear as a full row, a title-only row and a body-only row;
    # these keys find such copies (the rule that kept test.csv apart from train.csv).
    return _keys(example.title, example.body)


def _keys(title: str, body: str) -> set[tuple[str, str]]:
    keys = set()
    if title:
        keys.add(("title", title))
    if body:
        keys.add(("body", _NO_SPACE.sub("", body)[:40]))
    return keys


def validation_split(
    examples: Sequence[Example], *, fraction: float = 0.2, seed: int = 0
) -> tuple[list[Example], list[Example]]:
    """A stratified (label, row kind) split; validation rows that repeat a training message's
    title or body opening are dropped, so the validation score is not inflated by copies."""
    from sklearn.model_selection import train_test_split

    labels = [e.label for e in examples]
    # Row kind: the first letter of the id in the competition data (F full, T title, D body);
    # stratifying on it keeps full messages, the kind triage sees, in the validation part.
    strata = [f"{e.label}|{e.id[:1]}" for e in examples]
    counts: dict[str, int] = {}
    for s in strata:
        counts[s] = counts.get(s, 0) + 1
    if min(counts.values()) < 2:
        strata = labels
    train_idx, val_idx = train_test_split(
        range(len(examples)), test_size=fraction, stratify=strata, random_state=seed
    )
    train = [examples[i] for i in train_idx]
    seen = set().union(*(_overlap_keys(e) for e in train))
    validation = [examples[i] for i in val_idx if not (_overlap_keys(examples[i]) & seen)]
    return train, validation
