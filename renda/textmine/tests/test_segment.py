import pytest

from renda.textmine.segment import Segmenter, renda_words, stop_words


# Loading jieba's dictionary takes about a second, so the tests share one segmenter.
@pytest.fixture(scope="module")
def segmenter() -> Segmenter:
    return Segmenter(["月湖街道", "星沙镇", "梨园社区", "長沙縣"])


def test_it_keeps_user_words_whole(segmenter: Segmenter) -> None:
    words = segmenter.cut("月湖街道梨园社区的居民反映星沙镇的道路问题")
    assert {"月湖街道", "梨园社区", "星沙镇"} <= set(words)


def test_it_keeps_built_in_renda_words_whole(segmenter: Segmenter) -> None:
    words = segmenter.cut("人大代表在联络站督办民生实事项目，票决结果已交办")
    for word in ("人大代表", "联络站", "督办", "民生实事项目", "票决", "交办"):
        assert word in words
    assert "民生实事" in renda_words()


def test_it_normalises_user_words_and_text(segmenter: Segmenter) -> None:
    assert "长沙县" in segmenter.cut("長沙縣的路")


def test_it_does_not_share_user_words_between_segmenters(segmenter: Segmenter) -> None:
    assert "梨园社区" in segmenter.cut("梨园社区")
    assert "梨园社区" not in Segmenter().cut("梨园社区")


def test_it_removes_stop_words_punctuation_and_numbers_from_terms(segmenter: Segmenter) -> None:
    terms = segmenter.terms("您好，我们小区的路灯已经坏了3个月，希望尽快维修！WiFi")
    assert "路灯" in terms
    assert "维修" in terms
    assert "wifi" in terms
    assert not set(terms) & stop_words()
    assert "，" not in terms
    assert "3" not in terms


def test_it_returns_nothing_for_empty_or_punctuation_only_text(segmenter: Segmenter) -> None:
    assert segmenter.cut("") == []
    assert segmenter.terms("！！？。。😀") == []
