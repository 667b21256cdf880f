"""The counting, statistics and grouping behind hot words (renda.textmine.hotterms)."""

import math

import pytest

from renda.textmine import hotterms
from renda.textmine.hotterms import Doc, document_terms, group_issues, log_likelihood, rising


def test_it_keeps_title_words_first_and_drops_generic_ones():
    terms = document_terms(
        ["路灯", "损坏"], ["严重", "影响", "路灯", "晚上", "晚上", "晚上", "a7", "x", "路"]
    )
    assert terms[0] == ("路灯", 2)
    assert ("晚上", 3) in terms
    words = [t for t, _ in terms]
    assert "严重" not in words and "影响" not in words  # generic complaint words
    assert "a7" not in words  # a masked place code
    assert "x" not in words and "路" not in words  # single characters


def test_it_stores_at_most_the_limit():
    many = [f"词{i:03d}" for i in range(100)]
    assert len(document_terms([], many)) == hotterms.MAX_TERMS
    assert document_terms([], many, limit=3) == [("词000", 1), ("词001", 1), ("词002", 1)]


def test_it_handles_empty_and_odd_input():
    assert document_terms([], []) == []
    assert document_terms(["😀", "!!!"], ["wifi", "ab", "x" * 40]) == [("wifi", 1)]


def _g2_by_definition(a, n1, b, n2):
    table = [[a, n1 - a], [b, n2 - b]]
    n = n1 + n2
    rows = [n1, n2]
    cols = [a + b, n - a - b]
    total = 0.0
    for i in range(2):
        for j in range(2):
            observed = table[i][j]
            expected = rows[i] * cols[j] / n
            if observed:
                total += observed * math.log(observed / expected)
    return 2 * total


@pytest.mark.parametrize(
    "a,n1,b,n2", [(30, 200, 5, 180), (1, 10, 0, 10), (50, 100, 50, 100), (0, 40, 7, 60)]
)
def test_it_computes_dunnings_g2(a, n1, b, n2):
    assert log_likelihood(a, n1, b, n2) == pytest.approx(_g2_by_definition(a, n1, b, n2))


def test_g2_is_zero_without_a_difference_or_without_data():
    assert log_likelihood(10, 100, 20, 200) == pytest.approx(0.0, abs=1e-9)
    assert log_likelihood(3, 0, 1, 10) == 0.0
    assert log_likelihood(3, 10, 1, 0) == 0.0


def test_it_ranks_rising_terms_by_g2():
    now = {"停车": 40, "噪音": 12, "路灯": 10, "稀有": 2}
    before = {"停车": 5, "噪音": 10, "路灯": 30}
    found = rising(now, before, cases_now=200, cases_before=200)
    assert [r.term for r in found] == ["停车"]  # 噪音 barely moved, 路灯 fell, 稀有 too few
    assert found[0].g2 > hotterms.SIGNIFICANT_G2
    assert found[0].ratio == pytest.approx(8.0)
    new = rising({"新词": 9}, {}, cases_now=50, cases_before=60)
    assert new[0].ratio is None
    assert rising(now, before, cases_now=200, cases_before=0) == []


def _docs(texts, place="东湖街道", votes=0):
    return [
        Doc(id=i, place=place, terms=text.split(), votes=votes, day=i)
        for i, text in enumerate(texts)
    ]


# Background cases make the shared words rare enough to link (idf needs a population).
_BACKGROUND = [f"背景{i} 其它{i} 内容{i}" for i in range(120)]


def test_it_groups_cases_about_one_problem_at_one_place():
    docs = _docs(
        [
            "湖滨路 路灯 不亮 夜间",
            "湖滨路 路灯 损坏 不亮",
            "湖滨路 北段 路灯 不亮",
            "菜市场 公平秤 缺少",
            *_BACKGROUND,
        ]
    )
    groups = group_issues(docs)
    assert len(groups) == 1
    assert groups[0].ids == [0, 1, 2]
    assert {"湖滨路", "路灯", "不亮"} <= set(groups[0].terms)


def test_it_never_groups_across_places():
    here = _docs(["湖滨路 路灯 不亮", "湖滨路 路灯 不亮 夜间"], place="东湖街道")
    there = [Doc(id=10 + d.id, place="西山镇", terms=d.terms, day=d.day) for d in here]
    groups = group_issues([*here, *there, *_docs(_BACKGROUND, place="其他")])
    assert sorted(sorted(g.ids) for g in groups) == [[0, 1], [10, 11]]


def test_heat_grows_with_cases_votes_and_span():
    assert hotterms.heat(5, 0, 0) > hotterms.heat(4, 0, 0)
    assert hotterms.heat(4, 10, 0) > hotterms.heat(4, 0, 0)
    assert hotterms.heat(4, 0, 30) > hotterms.heat(4, 0, 1)
    assert hotterms.heat(0, 0, 0) == 0.0


def test_groups_are_ranked_by_heat():
    docs = [
        *_docs(["甲路 积水 严重积水", "甲路 积水 排水"], place="A"),
        *[
            Doc(id=100 + i, place="B", terms=["乙桥", "裂缝", "危险"], votes=50, day=i)
            for i in range(2)
        ],
        *_docs(_BACKGROUND, place="C"),
    ]
    groups = group_issues(docs)
    assert [g.place for g in groups] == ["B", "A"]  # same size, B has votes
    assert groups[0].votes == 100


def test_it_groups_nothing_when_nothing_repeats():
    assert group_issues([]) == []
    assert group_issues(_docs(["一", "二 三"])) == []
