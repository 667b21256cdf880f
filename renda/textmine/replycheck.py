"""Reply check: flags a unit's reply (答复) that is too short, does not address the message, or
names no concrete measure, owner or date, before it is sent.

Three independent checks, each with the score it was decided on, so a page can show why:

* too_short: fewer than `MIN_CHARS` characters of content once the courtesy formulas
  (您好, 留言已收悉, 感谢您对我们工作的关心 ...) are removed. "网友：您好！留言已收悉" has none.
* low_relevance: the reply shares too little vocabulary with the message. The score is the
  cosine of character-bigram vectors (sublinear tf; bigrams of the courtesy formulas and a
  short list of generic government words such as 问题/反映/工作 left out), taken as the larger
  of the score against the whole message and against its opening (the title usually leads).
* no_specifics: the reply names fewer than two of a concrete measure (已安排, 将于, 整改,
  维修, 查处 ...), an owner (a unit or person: 市城管局, 街道, 社区, 公司, 负责人 ...) and a
  date (2024年3月5日, 3月底前, 5个工作日内, 下周 ...). The sign-off date at the end of a reply
  is not a commitment and does not count.

Thresholds were tuned on the 2,816 official replies in the competition's messages_replies.csv
(see bench/bench_replycheck.py, which prints the flag rates and examples). Plain Python: no
Django, no model file, a few milliseconds per reply; text beyond `MAX_CHARS` is not read, so
a 100,000-character paste costs the same as a long reply.
"""

import math
import re
from collections import Counter
from dataclasses import dataclass

from renda.textmine.normalize import normalize

MAX_CHARS = 20_000
MIN_CHARS = 30
MIN_RELEVANCE = 0.055
# A reply must name at least two of: a measure, an owner, a date.
MIN_SPECIFIC_KINDS = 2
# Messages this short say too little to judge relevance by shared words.
MIN_MESSAGE_CHARS = 8
OPENING_CHARS = 80

TOO_SHORT = "too_short"
LOW_RELEVANCE = "low_relevance"
NO_SPECIFICS = "no_specifics"

LABELS = {
    TOO_SHORT: "答复过于简短",
    LOW_RELEVANCE: "答复与留言内容关联度低",
    NO_SPECIFICS: "缺少具体措施、责任单位或时间",
}


@dataclass(frozen=True, slots=True)
class Flag:
    code: str
    label: str


@dataclass(frozen=True, slots=True)
class ReplyCheck:
    """The outcome for one reply: the flags raised and the figures they were decided on."""

    flags: tuple[Flag, ...]
    content_chars: int  # characters of the reply left after the courtesy formulas
    relevance: float  # 0..1, or 1.0 when the message is too short to judge
    measures: tuple[str, ...]  # concrete actions found, e.g. ("已安排", "维修")
    owners: tuple[str, ...]  # units or people named, e.g. ("市城管局",)
    dates: tuple[str, ...]  # dates, times and deadlines found, e.g. ("3月底前",)

    @property
    def ok(self) -> bool:
        return not self.flags

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(f.code for f in self.flags)


# Courtesy formulas of replies and messages; they say nothing about the problem.
_BOILERPLATE = re.compile(
    "|".join(
        [
            r"网友\s*[“\"]?\s*[A-Za-z]*\d*\s*[”\"]?\s*[:：]?",
            r"[“\"]?UU\d+[”\"]?\s*[:：]?",
            r"尊敬的[\w]{0,6}?(?:网友|领导|市民|同志|先生|女士)[:：,，]?",
            r"(?:你|您)好[!！,，。]?",
            r"(?:您的|你的|您)?(?:来信|来邮|留言|网帖|帖子|反映的问题)(?:已)?收悉[。,，!！]?",
            r"已收悉[。,，!！]?",
            r"现(?:将|就)?(?:有关|相关)?(?:情况|问题)?(?:回复|答复|函复)如下[:：,，]?",
            r"(?:非常|十分)?感谢(?:您|你)?(?:对|的)?[\w、与和]{0,20}?(?:关心|关注|支持|监督|理解|信任|来信)"
            r"[、与和和]*(?:关心|关注|支持|监督|理解)*[!！。,，]?",
            r"谢谢(?:您|你)?[!！。,，]?",
            r"此复[。!！]?|特此(?:回复|答复)[。!！]?",
            r"以上(?:是|为)?[\w]{0,8}?(?:回复|答复)[。,，]?",
            r"祝(?:您)?(?:生活愉快|工作顺利|身体健康)[!！。]?",
            r"[\s\u3000\xa0]+",
        ]
    )
)

# Words every message and reply uses whatever the problem; left out of the relevance vectors.
_GENERIC = (
    "问题 反映 情况 有关 相关 部门 工作 我们 你们 您们 进行 根据 关于 目前 已经 对于 "
    "如下 回复 答复 网友 留言 领导 政府 我市 市民 群众 希望 请求 要求 解决 处理 时间 "
    "一下 没有 这个 那个 现在 可以 是否 能够 以及 并且 但是 因为 所以 如果 同时"
)
_GENERIC_BIGRAMS = frozenset(w[i : i + 2] for w in _GENERIC.split() for i in range(len(w) - 1))
_HAN = re.compile(r"[\u4e00-\u9fff]+")
_ALNUM = re.compile(r"[A-Za-z]{2,}|\d{2,}")

# Concrete actions a unit took or commits to.
_MEASURE = re.compile(
    r"已(?:由|安排|责令|要求|督促|协调|组织|对|将|完成|修复|维修|整改|清理|拆除|更换|处理|查处|下发|"
    r"落实|启动|开工|联系|约谈|上门|现场|派|立案|开馆|恢复)"
    r"|将于|将在|将(?:尽快|加快|加大|加强|增加|组织|安排|派|对|认真|进一步|继续|督促|协调)"
    r"|计划于|预计|拟于|正在(?:积极)?(?:施工|整改|维修|处理|办理|推进|协调|进行|编制|开展|侦办|组织|调查)"
    r"|整改|维修|修复|修缮|抢修|检修|更换|清理|清运|疏通|拆除|查处|处罚|罚款|责令|立案|侦查|侦办|约谈|"
    r"督促|督办|核查|核实|调查|排查|巡查|检查|执法|取缔|关停|停业|暂扣|封存|退还|退费|补发|发放|"
    r"兑现|补缴|办理|受理|审批|批复|立项|招标|施工|开工|竣工|完工|验收|安装|铺设|硬化|改造|新建|"
    r"增设|设置|配备|安排|落实|纳入|列入|调整|恢复|完成|启动|推进|监测|告知|走访|座谈|劝导|"
    r"公示|张贴|通报|致电|拨打"
)
# Units and people who own the follow-up. The name before a unit word may not run through a
# function word, so "针对您反映A3区含浦镇" yields "A3区含浦镇"; "有关部门" alone names nobody.
_FUNCTION_CHARS = (
    "的了在对由向请与和您你我他她经已将被从给把为是反映针等及"
    "或该此其这那有相关按照根据依暂未需要于至"
)
_NAME = rf"[^\W{_FUNCTION_CHARS}]"
_UNIT = re.compile(
    r"局|委员会|委|办公室|办事处|办|厅|署|中心|大队|中队|支队|派出所|管理所|司法所|管理站|服务站|"
    r"工作站|街道|社区|居委会|村委会|村委|政府|镇|乡|公司|集团|物业|医院|学校|管理处|指挥部|项目部|"
    r"银行|部门"
)
# Looked for only in the few characters before a unit word: one pattern over the whole text
# would try every start and length, tens of milliseconds on a long reply.
_UNIT_NAME = re.compile(rf"(?:{_NAME}{{1,10}}|我|本|该)$")
_PERSON = re.compile(
    r"社区|街道|居委会|村委会|物业|派出所|交警|城管|环卫|消防"
    r"|负责人|工作人员|经理|主任|局长|科长|站长|所长|书记|镇长|乡长|校长|院长|网格员|联系人|"
    r"联系电话|热线"
)
_DATE = re.compile(
    r"\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?"
    r"|\d{1,2}\s*月\s*\d{1,2}\s*[日号]"
    r"|\d{1,2}\s*月(?:份|底|初|中旬|上旬|下旬|前)"
    r"|\d{4}\s*年(?:底|初|内|前|上半年|下半年)"
    r"|\d+\s*(?:个)?(?:工作日|日|天|周|个月|小时)(?:内|之内|以内)"
    r"|(?:今年|明年|本月|下月|本周|下周|年底|月底|近日|近期|春节前|年内)(?:前|内|底)?"
    r"|\d{1,2}\s*[:：]\s*\d{2}|\d{1,2}\s*(?:点|时)(?:\d{1,2}\s*分)?"
)
# A reply's sign-off date ("2019年1月23日" at the very end) is not a commitment.
_SIGN_OFF_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日?\s*[。.]?\s*$")


def _content(text: str) -> str:
    return _BOILERPLATE.sub("", text)


def _bigrams(text: str) -> Counter[str]:
    grams = [run[i : i + 2] for run in _HAN.findall(text) for i in range(len(run) - 1)]
    counts = Counter(grams)
    for generic in _GENERIC_BIGRAMS.intersection(counts):
        del counts[generic]
    counts.update(t.lower() for t in _ALNUM.findall(text))
    return counts


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    wa = {k: 1.0 + math.log(v) for k, v in a.items()}
    wb = {k: 1.0 + math.log(v) for k, v in b.items()}
    dot = sum(w * wb[k] for k, w in wa.items() if k in wb)
    if not dot:
        return 0.0
    na = math.sqrt(sum(w * w for w in wa.values()))
    nb = math.sqrt(sum(w * w for w in wb.values()))
    return dot / (na * nb)


def _owners(text: str, limit: int = 5) -> tuple[str, ...]:
    found = []
    for unit in _UNIT.finditer(text):
        name = _UNIT_NAME.search(text, max(0, unit.start() - 10), unit.start())
        if name:
            found.append(text[name.start() : unit.end()])
    found.extend(m.group(0) for m in _PERSON.finditer(text))
    return tuple(dict.fromkeys(found))[:limit]


def _found(pattern: re.Pattern[str], text: str, limit: int = 5) -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.group(0).strip() for m in pattern.finditer(text)))[:limit]


def relevance(message: str, reply: str, *, opening: str = "") -> float:
    """How much vocabulary the reply shares with the message, 0..1: the larger of the cosine
    against the whole message and against its `opening` (the title). Texts are normalised
    content, courtesy formulas removed."""
    reply_grams = _bigrams(reply)
    whole = _cosine(_bigrams(message), reply_grams)
    return max(whole, _cosine(_bigrams(opening), reply_grams)) if opening else whole


def _opening(message: str) -> str:
    # The first line when it is short (a title above the body), else the first characters.
    first = message.lstrip().split("\n", 1)[0]
    return first[:OPENING_CHARS]


def check_reply(*, message: str, reply: str) -> ReplyCheck:
    """Check a reply against the message it answers (title first, then the body, separated by
    a line break); any text is accepted and nothing raises."""
    message = (message or "")[:MAX_CHARS]
    message_content = _content(normalize(message))
    opening = _content(normalize(_opening(message)))
    reply_text = normalize((reply or "")[:MAX_CHARS])
    reply_content = _content(reply_text)
    # Characters that carry text: emoji, punctuation and symbols alone make no reply.
    content_chars = sum(1 for c in reply_content if c.isalnum())

    if sum(1 for c in message_content if c.isalnum()) < MIN_MESSAGE_CHARS:
        score = 1.0
    else:
        score = round(relevance(message_content, reply_content, opening=opening), 4)

    body = _SIGN_OFF_DATE.sub("", reply_text.rstrip())
    measures = _found(_MEASURE, body)
    owners = _owners(_content(body))
    dates = _found(_DATE, body)

    flags = []
    if content_chars < MIN_CHARS:
        flags.append(TOO_SHORT)
    if score < MIN_RELEVANCE:
        flags.append(LOW_RELEVANCE)
    if sum(map(bool, (measures, owners, dates))) < MIN_SPECIFIC_KINDS:
        flags.append(NO_SPECIFICS)
    return ReplyCheck(
        flags=tuple(Flag(code, LABELS[code]) for code in flags),
        content_chars=content_chars,
        relevance=score,
        measures=measures,
        owners=owners,
        dates=dates,
    )
