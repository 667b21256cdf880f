"""The unit model alone (plain Python): learning, scores, storage, a corrupt file."""

import datetime as dt
import gzip

import pytest

from renda.triage.units import TEMPERATURES, UnitExample, UnitModel, evaluate

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
TOWN_A, TOWN_B = "0001000100010001", "0001000100010002"
# Unit 1: roads in town A; 2: roads in town B; 3: noise anywhere; 4: a county unit.
ROWS = [
    ("城乡建设", TOWN_A, "路灯损坏请维修", 1),
    ("城乡建设", TOWN_B, "道路破损积水", 2),
    ("环境保护", TOWN_A, "工地夜间施工噪音", 3),
    ("环境保护", TOWN_B, "餐馆油烟噪音扰民", 3),
]
PATHS = {1: TOWN_A, 2: TOWN_B, 3: "000100010001", 4: "000100010001"}


def _examples(n: int) -> list[UnitExample]:
    out = []
    for i in range(n):
        category, region, text, unit = ROWS[i % len(ROWS)]
        out.append(
            UnitExample(
                i,
                category,
                region,
                f"{text}{i}",
                f"{text}，第{i}次。",
                unit,
                "000100010001",
                T0 + dt.timedelta(days=i),
            )
        )
    return out


def test_it_learns_category_and_region_together():
    model = UnitModel.fit(_examples(40), steplen=4)
    top = model.top(
        3, category="城乡建设", region_path=TOWN_B, title="路面坑洼", content="路面有坑"
    )
    assert top[0][0] == 2
    assert (
        abs(
            sum(
                s
                for _, s in model.scores(
                    category="城乡建设", region_path=TOWN_B, title="路面坑洼", content=""
                )
            )
            - 1
        )
        < 1e-9
    )
    assert [u for u, _ in top] == sorted({u for u, _ in top}, key=[u for u, _ in top].index)


def test_it_suggests_only_allowed_units_and_nothing_for_unknown_ones():
    model = UnitModel.fit(_examples(40), steplen=4)
    top = model.top(
        3, category="城乡建设", region_path=TOWN_B, title="路灯", content="", allowed=[1, 3, 99]
    )
    assert {u for u, _ in top} == {1, 3}
    assert model.top(3, category="x", region_path="", title="", content="", allowed=[99]) == []


def test_it_handles_empty_and_odd_text():
    model = UnitModel.fit(_examples(8), steplen=4)
    for title, content in [("", ""), ("😀😀", "！！"), ("ABC", "x" * 100_000)]:
        top = model.top(3, category="城乡建设", region_path=TOWN_A, title=title, content=content)
        assert top and top[0][0] == 1


def test_it_evaluates_on_a_time_split():
    result = evaluate(_examples(50), unit_paths=PATHS, steplen=4)
    assert result["train"] == 40 and result["test"] == 10
    assert result["train_until"] < result["test_from"]
    assert result["top1"] == 1.0 and result["top3"] == 1.0
    # Perfectly separable history: the sharpest temperature calibrates best.
    assert result["temperature"] == min(TEMPERATURES)


def test_temperature_softens_scores_without_changing_the_order():
    model = UnitModel.fit(_examples(40), steplen=4)
    args = {"category": "城乡建设", "region_path": TOWN_B, "title": "路面坑洼", "content": ""}
    sharp = model.scores(**args)
    model.temperature = 5.0
    soft = model.scores(**args)
    assert [u for u, _ in soft] == [u for u, _ in sharp]
    assert soft[0][1] < sharp[0][1]


def test_it_saves_loads_and_reports_a_corrupt_file(tmp_path):
    model = UnitModel.fit(_examples(12), steplen=4)
    model.temperature = 2.0
    model.save(tmp_path, {"note": "test"})
    loaded = UnitModel.load(tmp_path)
    assert loaded.temperature == 2.0
    args = {"category": "环境保护", "region_path": TOWN_A, "title": "噪音", "content": ""}
    assert loaded.top(3, **args) == model.top(3, **args)
    (tmp_path / "units.json.gz").write_bytes(gzip.compress(b"{not json"))
    with pytest.raises(ValueError, match="corrupt unit model"):
        UnitModel.load(tmp_path)
    with pytest.raises(ValueError, match="no unit model"):
        UnitModel.load(tmp_path / "missing")
