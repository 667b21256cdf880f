"""Hot words, rising terms and hot issues: the counting, the statistics and the grouping.

Plain Python (no Django), so the hot-words app, the benchmark and the tests share one copy:

- `document_terms` turns a segmented case (title and content terms from
  `renda.textmine.segment.Segmenter.terms`) into the few terms stored for it: the words that
  say what the case is about, title words first, at most `MAX_TERMS`.
- `log_likelihood` is Dunning's G² for a term's share in two periods; `rising` ranks the terms
  whose share grew by it.
- `group_issues` puts cases about the same problem at the same place into one group (term
  overlap weighted by rarity, only within one place), and `heat` ranks the groups.
"""

import math
import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

# Bump when the rules below change: stored term lists carry it, so `rebuild_case_terms`
# re-analyses every case analysed under an older version.
ANALYZER_VERSION = 1
# At most this many terms are stored per case: enough for what a case is about (a message of
# the govmsg board has about 66 distinct words of two characters or more, most of them
# generic), and every stored term is a row in the daily counts, which hot words add up.
MAX_TERMS = 16
# A word stored for a case is at most this long (the column's width).
MAX_TERM_LENGTH = 32
# A title word counts as this many occurrences when choosing which terms to keep.
TITLE_WEIGHT = 3

# Words that appear in complaints about anything (严重, 影响, 解决 …): a hot-word list full of
# them says nothing. These come on top of the segmenter's stop words; chosen by reading the
# most frequent words of the govmsg message board (bench/bench_hotwords.py prints them).
GENERIC_WORDS = frozenset(
    """
    严重 影响 解决 作为 要求 多次 投诉 生活 时间 处理 工作 就是 是否 无法 存在 导致 造成 开始
    任何 其他 知道 很多 还有 规定 得到 行为 这种 至今 部分 只能 之前 重视 为了 经过 同时 发现
    直接 以上 电话 通知 甚至 地方 尽快 经常 属于 根据 看到 当时 结果 方便 发生 出现 了解 使用
    按照 原因 才能 告知 为何 事情 今年 这么 实际 不到 期间 提供 一名 完全 具体 必须 全部 如此
    各种 基本 根本 两个 诉求 位于 政府 居民 老百姓 市民 群众 人民 国家 社会 建议 请求 正常 人员
    所有 以来 一年 一次 多年 每次 不再 不少 不断 一定 已于 一样 只是 认为 表示 希望得到 予以 及时
    情况下 这一 当地 本来 其中 此事 此类 一般 一起 不了 起来 出来 进去 下来 上去 过来 回来 感觉
    觉得 时候 最近 近期 目前为止 以后 以前 今后 后来 继续 相应 有效 有些 某些 这次 那么 怎么办
    现象 问题 反映 回复 留言 您好 你好 谢谢 感谢 领导 部门 有关 相关 有关部门 相关部门 职能部门
    """.split()  # noqa: SIM905 - a word list reads best as one block
)
# Masked place codes of the govmsg data (A市 → "a", A7县 → "a7") and other letter-digit
# fragments are not words.
_CODE = re.compile(r"^[a-z]\d{0,3}$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"^[a-z][a-z0-9+.\-]{2,}$")


def is_hot_term(word: str) -> bool:
    """Whether a segmented word may be a hot word: two characters or more, not generic, not a
    code fragment, not too long to store."""
    if len(word) < 2 or len(word) > MAX_TERM_LENGTH:
        return False
    if word in GENERIC_WORDS or _CODE.match(word):
        return False
    # A Chinese word needs two characters; an English one three letters ("wifi", "app").
    return bool(_CJK.search(word)) or bool(_LATIN_WORD.match(word))


def document_terms(
    title_terms: Iterable[str], content_terms: Iterable[str], *, limit: int = MAX_TERMS
) -> list[tuple[str, int]]:
    """The terms stored for one case, as (term, occurrences) pairs, most telling first.

    A title word weighs `TITLE_WEIGHT` occurrences when choosing; ties keep the order of first
    appearance. The counts returned are the plain occurrences in title and content.
    """
    counts: Counter[str] = Counter()
    weight: Counter[str] = Counter()
    order: dict[str, int] = {}
    for word in title_terms:
        if is_hot_term(word):
            counts[word] += 1
            weight[word] += TITLE_WEIGHT
            order.setdefault(word, len(order))
    for word in content_terms:
        if is_hot_term(word):
            counts[word] += 1
            weight[word] += 1
            order.setdefault(word, len(order))
    ranked = sorted(counts, key=lambda w: (-weight[w], order[w]))
    return [(w, counts[w]) for w in ranked[:limit]]


# --- rising terms --------------------------------------------------------------------------


def _xlogx(x: float) -> float:
    return x * math.log(x) if x > 0 else 0.0


def log_likelihood(a: int, n1: int, b: int, n2: int) -> float:
    """Dunning's G² for a term found in `a` of `n1` cases now and `b` of `n2` cases before.

    The 2×2 table is (a, n1 − a; b, n2 − b); G² = 2 Σ O ln(O / E), computed in the
    entropy form 2 (Σ O ln O − Σ rows ln rows − Σ cols ln cols + N ln N). 0 when there is
    nothing to compare. Above 3.84 the change is significant at p < 0.05, above 6.63 at 0.01.
    """
    if n1 <= 0 or n2 <= 0:
        return 0.0
    a, b = min(max(a, 0), n1), min(max(b, 0), n2)
    c, d = n1 - a, n2 - b
    n = n1 + n2
    cells = _xlogx(a) + _xlogx(b) + _xlogx(c) + _xlogx(d)
    rows = _xlogx(n1) + _xlogx(n2)
    cols = _xlogx(a + b) + _xlogx(c + d)
    return max(2.0 * (cells - rows - cols + _xlogx(n)), 0.0)


# G² above this is significant at p < 0.01 (chi-squared, one degree of freedom).
SIGNIFICANT_G2 = 6.63
# A term must be found in at least this many cases of the current period to be rising.
MIN_RISING_COUNT = 3


@dataclass(frozen=True)
class Rise:
    term: str
    count: int  # cases mentioning it now
    previous: int  # cases mentioning it in the previous period
    share: float  # count / cases now
    previous_share: float
    g2: float

    @property
    def ratio(self) -> float | None:
        """How many times its share grew; None when it was not mentioned before."""
        return self.share / self.previous_share if self.previous_share else None


def rising(
    now: dict[str, int],
    before: dict[str, int],
    *,
    cases_now: int,
    cases_before: int,
    min_count: int = MIN_RISING_COUNT,
    min_g2: float = SIGNIFICANT_G2,
    limit: int = 20,
) -> list[Rise]:
    """Terms whose share of cases grew against the previous period, by G², largest first.

    With no case in the previous period nothing can be said to rise, so the list is empty.
    """
    if cases_now <= 0 or cases_before <= 0:
        return []
    found = []
    for term, count in now.items():
        if count < min_count:
            continue
        prev = before.get(term, 0)
        share, prev_share = count / cases_now, prev / cases_before
        if share <= prev_share:
            continue
        g2 = log_likelihood(count, cases_now, prev, cases_before)
        if g2 >= min_g2:
            found.append(Rise(term, count, prev, share, prev_share, g2))
    found.sort(key=lambda r: (-r.g2, -r.count, r.term))
    return found[:limit]


# --- hot issues ----------------------------------------------------------------------------

# Two cases are about the same problem when their shared terms carry at least this share of
# the rarity-weighted terms of both (a weighted Jaccard similarity; see
# `group_issues`). Chosen on messages_hot.csv by reading the groups (bench_hotwords).
SAME_ISSUE = 0.3
# A term found in more than this share of the cases compared is too common to link two cases
# (but a term found in at most `MIN_LINK_CAP` cases may always link: in a small town's week a
# problem raised four times is a large share and still the thing to find).
MAX_LINK_SHARE = 0.05
MIN_LINK_CAP = 8
# Two cases must share at least this many terms to be linked.
MIN_SHARED = 2
# A case is compared with this many later cases sharing one of its terms (see group_issues).
LINK_WINDOW = 4
# Only a case's this many rarest terms are used to find its neighbours.
LINK_TERMS = 12


@dataclass(frozen=True)
class Doc:
    """One case to group: its id, its place (cases at different places are never one issue),
    its stored terms, its support votes and its time (days, any origin)."""

    id: Hashable
    place: Hashable
    terms: Sequence[str]
    votes: int = 0
    day: float = 0.0


@dataclass
class Group:
    place: Hashable
    ids: list[Hashable] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)  # the words most of its cases share
    votes: int = 0
    first_day: float = 0.0
    last_day: float = 0.0
    heat: float = 0.0

    @property
    def size(self) -> int:
        return len(self.ids)

    @property
    def span_days(self) -> float:
        return self.last_day - self.first_day


def heat(count: int, votes: int, span_days: float) -> float:
    """How hot an issue is: more cases count most, then support votes, then how long people
    have kept raising it. Logarithms, so a hundred votes do not outweigh ten separate cases:
    10·log2(1+cases) + 4·log2(1+votes) + 2·log2(1+days between the first and the last)."""
    return (
        10.0 * math.log2(1 + max(count, 0))
        + 4.0 * math.log2(1 + max(votes, 0))
        + 2.0 * math.log2(1 + max(span_days, 0.0))
    )


def group_issues(
    docs: Sequence[Doc],
    *,
    threshold: float = SAME_ISSUE,
    max_link_share: float = MAX_LINK_SHARE,
    link_terms: int = LINK_TERMS,
    min_size: int = 2,
    min_shared: int = MIN_SHARED,
    window: int = LINK_WINDOW,
) -> list[Group]:
    """Groups of cases about the same problem at the same place, hottest first.

    Each term weighs its inverse document frequency over `docs`, idf = ln(1 + N / df)
    (smoothed, so that when every case is about one problem its words still weigh). A case is
    represented by its first `link_terms` stored terms (most telling first) that at least one
    other case shares and that are found in at most `max_link_share` of the cases (or in
    at most `MIN_LINK_CAP`). Two cases
    at one place link when they share at least `min_shared` terms whose weight is at least
    `threshold` of the weight of the union of their terms (a weighted Jaccard similarity).
    Linked cases form a group (connected components); groups smaller than `min_size` are
    dropped. In a small sample (a few cases) no term is rare, so nothing links.
    """
    n = len(docs)
    if n == 0:
        return []
    sets = [frozenset(d.terms) for d in docs]
    df: Counter[str] = Counter()
    for s in sets:
        df.update(s)
    cap = max(MIN_LINK_CAP, int(max_link_share * n))
    idf = {t: math.log(1 + n / c) for t, c in df.items() if 2 <= c <= cap}
    keys: list[dict[str, float]] = []
    for doc_terms in (d.terms for d in docs):
        useful = [t for t in dict.fromkeys(doc_terms) if t in idf][:link_terms]
        keys.append({t: idf[t] for t in useful})
    mass = [sum(k.values()) for k in keys]
    # Postings in time order; a case is compared with the next `window` cases of each of its
    # terms' postings only, so a term shared by hundreds of cases costs hundreds of
    # comparisons, not tens of thousands. A large group still forms: its cases link in a
    # chain through time, and the groups are connected components.
    postings: dict[tuple[Hashable, str], list[int]] = defaultdict(list)
    for i in sorted(range(n), key=lambda i: (docs[i].day, i)):
        for t in keys[i]:
            postings[(docs[i].place, t)].append(i)
    # Every posting is in the same (time) order, so a pair always comes out the same way round.
    candidates: set[tuple[int, int]] = set()
    for members in postings.values():
        for step in range(1, min(window, len(members) - 1) + 1):
            candidates.update(zip(members, members[step:], strict=False))
    key_sets = [frozenset(k) for k in keys]
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in candidates:
        shared = key_sets[i] & key_sets[j]
        if len(shared) < min_shared:
            continue
        weight = sum(idf[t] for t in shared)
        union = mass[i] + mass[j] - weight
        if union > 0 and weight >= threshold * union:
            ri, rj = find(i), find(j)
            if ri != rj:
                parent[max(ri, rj)] = min(ri, rj)
    by_root: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        by_root[find(i)].append(i)
    members_of = list(by_root.values())
    groups = []
    for members in members_of:
        if len(members) < min_size:
            continue
        term_counts: Counter[str] = Counter()
        for i in members:
            term_counts.update(keys[i])
        common = [t for t, c in term_counts.most_common() if c * 2 >= len(members)][:6]
        days = [docs[i].day for i in members]
        group = Group(
            place=docs[members[0]].place,
            ids=[docs[i].id for i in sorted(members, key=lambda i: (docs[i].day, i))],
            terms=common or [t for t, _ in term_counts.most_common(3)],
            votes=sum(max(docs[i].votes, 0) for i in members),
            first_day=min(days),
            last_day=max(days),
        )
        group.heat = heat(group.size, group.votes, group.span_days)
        groups.append(group)
    groups.sort(key=lambda g: (-g.heat, -g.size, str(g.ids[0])))
    return groups
