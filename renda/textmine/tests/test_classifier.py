"""The classifier on a small synthetic data set: fast, and needs no data from ../shared."""

from pathlib import Path

import numpy as np
import pytest

from renda.textmine.classifier import CategoryModel, ModelError
from renda.textmine.features import Lookup, char_keys, max_match, word_prefixes
from renda.textmine.training import fit_category_model

MESSAGES = {
    "交通运输": ["公交车线路调整不合理", "道路拥堵红绿灯太短", "出租车拒载绕路", "高速收费站排队"],
    "教育文体": ["学校乱收补课费", "幼儿园入学难", "老师体罚学生", "小学学位不足"],
    "环境保护": ["工厂排放废气污染", "河道垃圾发臭", "夜间施工噪音扰民", "养猪场污水直排"],
}


@pytest.fixture(scope="module")
def model() -> CategoryModel:
    titles, bodies, labels = [], [], []
    for label, texts in MESSAGES.items():
        for text in texts:
            titles.append(text)
            bodies.append(f"我们这里{text}，请有关部门尽快处理。")
            labels.append(label)
    return fit_category_model(titles, bodies, labels, user_words=["月湖街道"])


def test_it_predicts_with_calibrated_top_scores(model: CategoryModel) -> None:
    prediction = model.predict("河道污染", "月湖街道的河道垃圾发臭，工厂排放废水")
    assert prediction.label == "环境保护"
    scores = [score for _, score in prediction.top]
    assert scores == sorted(scores, reverse=True)
    assert len(prediction.top) == 3
    assert sum(scores) <= 1.0 + 1e-3


def test_it_gives_no_label_for_empty_text(model: CategoryModel) -> None:
    prediction = model.predict("", " _x000D_ ")
    assert prediction.label is None
    assert prediction.unsure


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("！！？？", "😀😀😀"),
        ("ABC 123", "hello world 2024"),
        ("學校收費", "学校乱收费"),
        ("很长", "学校" * 50_000),
    ],
)
def test_it_handles_odd_input_without_error(model: CategoryModel, title: str, body: str) -> None:
    prediction = model.predict(title, body)
    assert prediction.label in MESSAGES
    assert 0.0 <= prediction.score <= 1.0


def test_it_marks_low_scores_unsure(model: CategoryModel) -> None:
    model.threshold = 0.99
    try:
        assert model.predict("随便说说", "没有具体内容").unsure
    finally:
        model.threshold = 0.5


def test_it_round_trips_through_a_model_directory(model: CategoryModel, tmp_path: Path) -> None:
    model.save(tmp_path, {"training_size": 12})
    loaded = CategoryModel.load(tmp_path)
    assert loaded.labels == model.labels
    assert loaded.user_words == ("月湖街道",)
    np.testing.assert_allclose(
        loaded.proba("学校收费", "乱收费"), model.proba("学校收费", "乱收费"), rtol=1e-6
    )


def test_it_reports_a_missing_model_clearly(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no model"):
        CategoryModel.load(tmp_path)


def test_it_reports_a_corrupt_model_clearly(model: CategoryModel, tmp_path: Path) -> None:
    model.save(tmp_path, {})
    (tmp_path / "model.npz").write_bytes(b"not a model")
    with pytest.raises(ModelError, match="corrupt"):
        CategoryModel.load(tmp_path)


def test_it_refuses_a_single_category() -> None:
    with pytest.raises(ValueError, match="two categories"):
        fit_category_model(["a", "b"], ["", ""], ["x", "x"])


def test_max_match_prefers_the_longest_word() -> None:
    lexicon = {"医保": 1, "报销": 2, "医保报销": 3, "路灯": 4}
    assert max_match("我的医保报销和路灯", lexicon) == ["医保报销", "路灯"]
    assert max_match("", lexicon) == []
    assert max_match("路", lexicon) == []


def test_an_unknown_character_does_not_turn_a_bigram_into_a_unigram() -> None:
    # Id 0 (unknown) followed by id 5 must not read as the unigram 5, nor (0, 5, 6) as (5, 6).
    keys = char_keys(np.array([0, 5, 6]))
    bigrams, trigrams = keys[3:5], keys[5:]
    assert not set(bigrams) & {5, 6}
    assert trigrams[0] not in set(bigrams)
    assert len(set(keys.tolist())) == len(keys)


def test_unknown_characters_add_no_terms(model: CategoryModel) -> None:
    rows, values = model.features("ΩΩΩ", "ЖЖЖ")
    # Only the line break that joins title and body is a known character.
    assert len(rows) == len(values) == 1
    assert model.predict("ΩΩΩ", "ЖЖЖ").label in MESSAGES


def test_it_fits_two_categories() -> None:
    titles, bodies, labels = [], [], []
    for label in ("交通运输", "教育文体"):
        for text in MESSAGES[label]:
            titles.append(text)
            bodies.append(f"{text}，请尽快处理。")
            labels.append(label)
    model = fit_category_model(titles, bodies, labels)
    prediction = model.predict("学校补课", "学校乱收补课费")
    assert prediction.label == "教育文体"
    assert [label for label, _ in prediction.top] == ["教育文体", "交通运输"]
    assert abs(sum(score for _, score in prediction.top) - 1.0) < 1e-3


def test_lookup_reads_the_same_ids_as_the_alphabet() -> None:
    alphabet = {"学": 1, "校": 2, "a": 3, "😀": 4}
    lookup = Lookup.build(alphabet, {"学校": 1, "学校收费": 2})
    text = "学校a😀b\ud800路\U0010ffff"
    assert lookup.char_ids(text).tolist() == [alphabet.get(c, 0) for c in text]
    assert lookup.char_ids("").tolist() == []
    assert lookup.prefixes == {"学校": (4, 2)}


def test_max_match_finds_the_same_words_with_and_without_prefixes() -> None:
    lexicon = {"医保": 1, "医保报销": 2, "路灯": 3, "报销": 4, "灯光": 5}
    text = "我的医保报销和路灯光医保报"
    assert max_match(text, lexicon, word_prefixes(lexicon)) == max_match(text, lexicon)
    assert max_match(text, lexicon) == ["医保报销", "路灯", "医保"]
