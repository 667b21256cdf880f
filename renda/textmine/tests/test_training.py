"""Self-training on unlabelled messages: reading them, dropping copies, pseudo-labels, the
train command's --unlabelled option. Tiny synthetic CSVs, no competition data needed."""

import csv
import json
import random
from pathlib import Path

import numpy as np
import pytest

from renda.textmine.cli import main
from renda.textmine.dataset import (
    DatasetError,
    Example,
    read_unlabelled_csv,
    without_copies,
)
from renda.textmine.training import fit_category_model, pseudo_labelled

TOPICS = {
    "环境保护": ["工厂排放废气", "河道污水发臭", "夜间施工噪音扰民", "垃圾焚烧污染空气"],
    "教育文体": ["学校学位不足", "幼儿园收费过高", "老师课外补课收费", "学生校车安全"],
}
PLACES = ["A市", "A3区", "K4县", "B市", "C2区"]


def _messages(n: int, seed: int) -> list[tuple[str, str, str]]:
    rng = random.Random(seed)
    rows = []
    for label, topics in TOPICS.items():
        for _ in range(n):
            topic, place = rng.choice(topics), rng.choice(PLACES)
            rows.append((f"{place}{topic}", f"{place}某小区附近{topic}，问题长期没有解决。", label))
    return rows


def _write(path: Path, header: list[str], rows: list[tuple[str, ...]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_read_unlabelled_csv_takes_either_column_names(tmp_path: Path) -> None:
    board = _write(
        tmp_path / "board.csv",
        ["留言编号", "留言主题", "留言详情"],
        [("1", "Ａ市　噪音", "_x000D_夜间施工"), ("2", "", "  ")],
    )
    plain = _write(tmp_path / "plain.csv", ["title", "body", "label"], [("t", "b", "x")])
    # Normalised (full-width to half-width, Excel escapes gone); the empty row is dropped.
    assert read_unlabelled_csv(board) == [("A市 噪音", "夜间施工")]
    assert read_unlabelled_csv(plain) == [("t", "b")]
    other = _write(tmp_path / "other.csv", ["主题"], [("x",)])
    with pytest.raises(DatasetError, match="needs columns"):
        read_unlabelled_csv(other)


def test_without_copies_drops_title_and_body_opening_copies() -> None:
    held = [Example("F1", "小区噪音扰民", "每天夜里 施工到凌晨两点，" + "无" * 40, "环境保护")]
    messages = [
        ("小区噪音扰民", "另一段正文"),  # same title
        ("别的标题", "每天夜里施工到凌晨两点，" + "无" * 40 + "后面不同"),  # same opening
        ("别的标题", "完全不同的正文"),
    ]
    assert without_copies(messages, held) == [("别的标题", "完全不同的正文")]


def test_pseudo_labels_are_confident_and_capped_per_category() -> None:
    rows = _messages(20, seed=1)
    titles, bodies, labels = (list(x) for x in zip(*rows, strict=True))
    model = fit_category_model(titles, bodies, labels)
    pool = [(t, b) for t, b, _ in _messages(10, seed=2)]
    got = pseudo_labelled(model, labels, pool, min_proba=0.0, cap=1.0)
    # All distinct messages kept, each labelled as its topic.
    truth = {(t, b): label for t, b, label in _messages(10, seed=2)}
    assert len(got[0]) == len(set(pool))
    assert all(truth[(t, b)] == y for t, b, y in zip(*got, strict=True))
    # The cap: at most 0.1 x 20 training rows per category.
    _, _, capped = pseudo_labelled(model, labels, pool, min_proba=0.0, cap=0.1)
    assert sorted(capped) == ["教育文体"] * 2 + ["环境保护"] * 2
    # Nothing reaches a score above 1.
    assert pseudo_labelled(model, labels, pool, min_proba=1.01) == ([], [], [])


def test_train_command_self_trains_with_unlabelled_csvs(tmp_path: Path) -> None:
    data = _write(
        tmp_path / "train.csv",
        ["id", "title", "body", "label"],
        [(f"F{i}", *row) for i, row in enumerate(_messages(20, seed=3))],
    )
    hot = _write(
        tmp_path / "hot.csv",
        ["留言编号", "留言主题", "留言详情"],
        [(str(i), t, b) for i, (t, b, _) in enumerate(_messages(10, seed=4))],
    )
    replies = _write(tmp_path / "replies.csv", ["title", "body"], [("学校学位不足", "孩子上学难")])
    out = tmp_path / "model"
    argv = ["train", "--data", str(data), "--out", str(out), "--validation", "0.2"]
    assert main([*argv, "--unlabelled", str(hot), "--unlabelled", str(replies)]) == 0
    meta = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    assert meta["unlabelled_files"] == ["hot.csv", "replies.csv"]
    assert meta["unlabelled_size"] == 2 * 10 + 1
    assert meta["validation"]["macro_f1"] > 0.5


def test_view_weights_learn_which_view_separates_the_categories() -> None:
    from renda.textmine.training import _view_weights

    rng = np.random.default_rng(0)
    target = np.repeat(np.arange(3), 40)
    noise = rng.normal(size=(120, 3))
    informative = np.eye(3)[target] * 4.0 - 2.0
    weights, biases = _view_weights(np.stack([noise, informative]), target)
    # The first view (the whole message) is held near 1, the others near 0, unless they help.
    assert weights.shape == (2, 3) and biases.shape == (3,)
    assert np.all(weights[1] > 0.2)


def test_it_fits_title_only_and_body_only_rows_without_full_messages() -> None:
    rows = _messages(6, seed=5)
    titles = [t for t, _, _ in rows] + ["" for _ in rows]
    bodies = ["" for _ in rows] + [b for _, b, _ in rows]
    labels = [label for _, _, label in rows] * 2
    model = fit_category_model(titles, bodies, labels)
    assert model.predict("工厂排放废气", "").label == "环境保护"
    assert model.predict("", "学校学位不足，孩子上学难").label == "教育文体"
