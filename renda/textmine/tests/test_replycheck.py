"""Reply check: the three flags on typical replies, and odd input that must not raise."""

import dataclasses

import pytest

from renda.textmine.replycheck import (
    LOW_RELEVANCE,
    NO_SPECIFICS,
    TOO_SHORT,
    Flag,
    ReplyCheck,
    check_reply,
)

MESSAGE = (
    "东湖街道幸福小区路灯坏了三个月\n"
    "幸福小区3栋门前的路灯坏了三个月，晚上一片漆黑，老人出门经常摔倒，请尽快维修路灯。"
)
GOOD_REPLY = (
    "网友您好！您的留言已收悉。经核实，幸福小区3栋门前路灯线路老化损坏，东湖街道已安排"
    "市政维修公司于3月5日更换路灯线路，路灯已恢复照明。感谢您对我们工作的关心和支持！"
    "2024年3月6日"
)


def test_it_passes_a_relevant_concrete_reply() -> None:
    result = check_reply(message=MESSAGE, reply=GOOD_REPLY)
    assert result.ok, result.flags
    assert result.flags == ()
    assert result.relevance >= 0.2
    assert "已安排" in result.measures
    assert any("街道" in owner for owner in result.owners)
    assert "3月5日" in result.dates


def test_it_flags_a_courtesy_only_reply_as_too_short() -> None:
    result = check_reply(message=MESSAGE, reply="网友：您好！留言已收悉。感谢您对我们工作的支持！")
    assert result.codes == (TOO_SHORT, LOW_RELEVANCE, NO_SPECIFICS)
    assert result.content_chars == 0
    assert not result.ok
    assert [f.label for f in result.flags] == [
        "答复过于简短",
        "答复与留言内容关联度低",
        "缺少具体措施、责任单位或时间",
    ]


def test_it_flags_a_reply_about_another_problem() -> None:
    reply = (
        "您好！经查，该工地是龙湖春江项目工地，目前已进入渣土回填阶段，办理了渣土回填许可，"
        "在许可期间内夜间施工属于合法施工，区城管局已要求施工单位严格控制噪音。"
    )
    result = check_reply(message=MESSAGE, reply=reply)
    assert result.codes == (LOW_RELEVANCE,)
    assert result.relevance < 0.055


def test_it_flags_a_vague_reply_without_measure_owner_or_date() -> None:
    reply = (
        "您反映的幸福小区路灯问题我们已经知道了，路灯问题确实影响居民晚上出行，"
        "我们会高度重视幸福小区路灯问题。"
    )
    result = check_reply(message=MESSAGE, reply=reply)
    assert NO_SPECIFICS in result.codes
    assert LOW_RELEVANCE not in result.codes
    assert TOO_SHORT not in result.codes


def test_the_sign_off_date_is_not_a_commitment() -> None:
    reply = "您反映的幸福小区路灯问题，我们会认真研究幸福小区的路灯情况，感谢您的监督。2024年3月6日"
    result = check_reply(message=MESSAGE, reply=reply)
    assert result.dates == ()
    assert NO_SPECIFICS in result.codes


def test_the_result_is_a_frozen_dataclass_of_flags() -> None:
    result = check_reply(message=MESSAGE, reply=GOOD_REPLY)
    assert isinstance(result, ReplyCheck)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.relevance = 0.0  # type: ignore[misc]
    flag = check_reply(message=MESSAGE, reply="").flags[0]
    assert isinstance(flag, Flag)
    assert (flag.code, flag.label) == (TOO_SHORT, "答复过于简短")


@pytest.mark.parametrize(
    ("message", "reply"),
    [
        ("", ""),
        (None, None),
        ("😀😀😀", "👍👍👍！！！"),
        ("！！？？……", "。。。，，，"),
        ("路灯坏了" * 25_000, "已安排维修" * 20_000),
        ("幸福小區路燈壞了三個月，請盡快維修", "東湖街道已安排維修公司於3月5日更換路燈線路"),
        (
            "Street light broken at No. 3 since 2024",
            "We fixed the street light on 2024-03-05, thanks.",
        ),
        ("1234567890", "0987654321"),
    ],
)
def test_it_handles_odd_input_without_error(message: str, reply: str) -> None:
    result = check_reply(message=message, reply=reply)
    assert isinstance(result.ok, bool)
    assert 0.0 <= result.relevance <= 1.0
    assert all(f.label for f in result.flags)


def test_empty_and_emoji_replies_are_too_short() -> None:
    for reply in ("", "   ", "😀😀😀👍", "！！！。。。"):
        assert TOO_SHORT in check_reply(message=MESSAGE, reply=reply).codes


def test_a_short_message_is_not_judged_for_relevance() -> None:
    result = check_reply(message="😀", reply=GOOD_REPLY)
    assert result.relevance == 1.0
    assert LOW_RELEVANCE not in result.codes


def test_traditional_characters_are_matched_to_simplified() -> None:
    traditional = check_reply(
        message="幸福小區路燈壞了三個月\n幸福小區3棟門前的路燈壞了三個月，請盡快維修路燈。",
        reply=GOOD_REPLY,
    )
    assert traditional.ok, traditional.flags
    assert traditional.relevance >= 0.2


def test_a_very_long_reply_is_read_only_up_to_the_limit() -> None:
    result = check_reply(message=MESSAGE, reply=GOOD_REPLY + "路灯" * 50_000)
    assert result.content_chars <= 20_000
