from renda.textmine.normalize import normalize


def test_it_converts_traditional_to_simplified() -> None:
    assert normalize("經濟發展與環境保護") == "经济发展与环境保护"


def test_it_leaves_simplified_text_alone() -> None:
    assert normalize("人大代表联络站") == "人大代表联络站"


def test_it_converts_mixed_traditional_and_simplified() -> None:
    assert normalize("小區停車場收費太贵") == "小区停车场收费太贵"


def test_it_makes_full_width_digits_and_letters_half_width() -> None:
    assert normalize("２０２４年ＡＢＣ市ｗｉｆｉ　１０％") == "2024年ABC市wifi 10%"


def test_it_keeps_chinese_sentence_punctuation() -> None:
    assert (
        normalize("你好，请问？谢谢！（附件）：是；不。") == "你好，请问？谢谢！（附件）：是；不。"
    )


def test_it_removes_excel_carriage_returns_and_collapses_whitespace() -> None:
    text = "\n\t\t\t\t\t反映问题_x000D_\n_x000D_\n  具体情况\u3000如下 \u200b"
    assert normalize(text) == "反映问题 具体情况 如下"


def test_it_handles_empty_and_missing_text() -> None:
    assert normalize("") == ""
    assert normalize(None) == ""
    assert normalize(" \n\t_x000D_ ") == ""


def test_it_keeps_emoji_and_punctuation_only_text() -> None:
    assert normalize("😀！！") == "😀！！"
