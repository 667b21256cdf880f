"""The command line on a small stratified sample of the competition data in ../shared."""

import csv
import json
import random
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
DATA = REPO / ".." / "shared" / "data" / "govmsg"
SAMPLE_PER_LABEL = 100

pytestmark = pytest.mark.skipif(
    not (DATA / "train.csv").is_file(), reason=f"competition data not found in {DATA}"
)


def textmine(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "renda.textmine", *args],
        cwd=REPO,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """700 rows of train.csv, 100 of each of the 7 labels."""
    by_label: dict[str, list[dict[str, str]]] = defaultdict(list)
    with (DATA / "train.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            by_label[row["label"]].append(row)
    rng = random.Random(0)
    rows = [r for label in sorted(by_label) for r in rng.sample(by_label[label], SAMPLE_PER_LABEL)]
    path = tmp_path_factory.mktemp("data") / "sample.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["id", "title", "body", "label"])
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def model_dir(sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("model")
    result = textmine("train", "--data", str(sample), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def test_it_writes_model_and_metadata(model_dir: Path) -> None:
    meta = json.loads((model_dir / "metadata.json").read_text(encoding="utf-8"))
    assert meta["training_size"] == 7 * SAMPLE_PER_LABEL
    assert len(meta["labels"]) == 7
    assert 0 < meta["validation"]["macro_f1"] <= 1
    assert "jieba" in meta["versions"]


def test_it_classifies_json_lines(model_dir: Path) -> None:
    lines = [
        {"title": "小区旁边工厂排放废气", "body": "每天晚上都有刺鼻气味，污染严重"},
        {"title": "孩子上学难", "body": "学校学位不足，希望增加学位"},
        {"title": "", "body": ""},
    ]
    result = textmine(
        "classify",
        "--model",
        str(model_dir),
        stdin="".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines),
    )
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 3
    assert out[0]["label"] == "环境保护"
    assert out[1]["label"] == "教育文体"
    for answer in out[:2]:
        scores = [score for _, score in answer["top"]]
        assert len(scores) == 3
        assert scores == sorted(scores, reverse=True)
        assert sum(scores) <= 1.0 + 1e-3
        assert answer["score"] == scores[0]
    assert out[2]["label"] is None
    assert "环境保护" in result.stdout  # ensure_ascii=False: Chinese stays readable


def test_it_answers_a_bad_line_with_an_error_line(model_dir: Path) -> None:
    stdin = 'not json\n[1, 2]\n{"title": 5}\n{"title": "公交车太挤"}\n'
    result = textmine("classify", "--model", str(model_dir), stdin=stdin)
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [("error" in x) for x in out] == [True, True, True, False]
    assert out[0]["line"] == 1
    assert "JSON" in out[0]["error"]
    assert out[3]["label"]


def test_it_evaluates_a_labelled_file(model_dir: Path, sample: Path) -> None:
    result = textmine("evaluate", "--model", str(model_dir), "--data", str(sample), "--json")
    assert result.returncode == 0, result.stderr
    scores = json.loads(result.stdout)
    assert scores["n"] == 7 * SAMPLE_PER_LABEL
    assert scores["accuracy"] > 0.8  # its own training rows
    assert set(scores["per_class_f1"]) == set(
        json.loads((model_dir / "metadata.json").read_text(encoding="utf-8"))["labels"]
    )
    assert scores["latency_ms"]["p95"] > 0


def test_it_says_clearly_when_the_model_is_missing(tmp_path: Path) -> None:
    result = textmine("classify", "--model", str(tmp_path / "nowhere"), stdin="{}\n")
    assert result.returncode == 2
    assert "no model" in result.stderr
    assert "Traceback" not in result.stderr
