"""A labelled evaluation set for near-duplicate detection, built from the competition's
`messages_hot.csv` (../shared/data/govmsg, never copied into the project), and its scoring.

Positives: a sampled message (the *source*, which is indexed) against an edited copy of it, as
a citizen re-submitting or a second citizen copying it would write. Half the copies are
*moderate* (one to three operations, each bounded), half *heavy* (two to four, with looser
bounds; see `MODERATE` and `HEAVY`):
  insert    one to three stock phrases or sentences of other messages added, at most a
            quarter (heavy: half) of the body's length
  delete    sentences or a span removed, at most a fifth (heavy: two fifths) of the body
  reorder   the sentences shuffled
  synonym   up to 4 (heavy: 8) words swapped for synonyms from a small built-in list
  numbers   up to 3 (heavy: 10) numbers changed
  title     the title reworded (a prefix such as 再次反映 / 关于 … 的问题, or a new title)
Hard negatives: the source against another message about the same place (the same street,
estate, village or, failing that, the same A3区-style district) by another user whose title
shares little with the source's (a different problem) and whose body shares no verbatim run
of 16 characters with the source's (else it is a copy: the data holds such re-posts).
Random negatives: the source against a random other message (not a copy either). Messages
are de-duplicated on body and title first.

Everything is seeded: the same seed gives the same set in every process. Sources are split
in halves (dev, test) by a stable hash of their id; the threshold is chosen on dev only.
"""

import csv
import random
import re
import zlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from renda.textmine.dataset import DatasetError
from renda.textmine.dedup import DuplicateIndex, jaccard, message_text
from renda.textmine.normalize import normalize

DATA_FILE = "messages_hot.csv"
_COLUMNS = ("留言编号", "留言用户", "留言主题", "留言详情")
OPERATIONS = ("insert", "delete", "reorder", "synonym", "numbers", "title")

# Pairs of words with the same meaning in a message to the government; swapped both ways.
SYNONYMS = (
    ("希望", "恳请"),
    ("尽快", "尽早"),
    ("解决", "处理"),
    ("问题", "情况"),
    ("反映", "反应"),
    ("投诉", "举报"),
    ("咨询", "询问"),
    ("居民", "住户"),
    ("小区", "社区"),
    ("业主", "住户"),
    ("领导", "负责人"),
    ("相关部门", "有关部门"),
    ("严重", "十分严重"),
    ("影响", "干扰"),
    ("现在", "目前"),
    ("已经", "早已"),
    ("非常", "特别"),
    ("政府", "当地政府"),
    ("孩子", "小孩"),
    ("没有", "未"),
    ("马路", "道路"),
    ("噪音", "噪声"),
    ("垃圾", "废弃物"),
    ("请问", "想问一下"),
    ("要求", "请求"),
    ("无法", "不能"),
    ("每天", "天天"),
    ("晚上", "夜间"),
    ("开发商", "开发公司"),
    ("工作人员", "办事人员"),
)
_STOCK = (
    "恳请相关部门尽快处理。",
    "希望领导高度重视！",
    "此事已经反映多次，至今没有结果。",
    "谢谢！",
    "请有关部门给个说法。",
    "望早日解决，万分感谢！",
    "附近居民苦不堪言。",
    "期待您的回复。",
)
_TITLE_PREFIX = ("再次反映", "关于", "投诉", "强烈要求解决", "请求处理")
_SENTENCE = re.compile(r"(?<=[。！？!?；;\n])")
_NUMBER = re.compile(r"\d+")
_DISTRICT = re.compile(r"[A-Z]\d*[市区县]")
_STREET = re.compile(
    r"[\u4e00-\u9fa5]{2,4}(?:大道|路|街|巷|小区|社区|花园|公寓|广场|村|镇|小学|中学|医院|学院)"
)
_NO_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Message:
    id: str
    user: str
    title: str
    body: str

    @property
    def text(self) -> str:
        return message_text(self.title, self.body)


@dataclass(frozen=True, slots=True)
class Pair:
    """A query text against one indexed message (`target`), labelled duplicate or not."""

    query_title: str
    query_body: str
    target: str
    duplicate: bool
    kind: str  # "edit", "hard" or "random"
    split: str  # "dev" or "test"
    operations: tuple[str, ...] = field(default=())
    strength: str = ""  # of an edited copy: "moderate" or "heavy"

    @property
    def query_text(self) -> str:
        return message_text(self.query_title, self.query_body)


def default_data_dir() -> Path:
    """../shared/data/govmsg next to the repository root."""
    return Path(__file__).resolve().parents[2].parent / "shared" / "data" / "govmsg"


def read_messages(path: Path) -> list[Message]:
    """The messages of messages_hot.csv, normalised, without repeated bodies or titles."""
    messages, seen = [], set()
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in _COLUMNS if c not in (reader.fieldnames or ())]
            if missing:
                raise DatasetError(f"{path}: missing column(s) {', '.join(missing)}")
            for row in reader:
                title, body = normalize(row["留言主题"]), normalize(row["留言详情"])
                keys = {("b", _NO_SPACE.sub("", body)), ("t", title)}
                if not (title or body) or keys & seen:
                    continue
                seen |= keys
                messages.append(
                    Message(row["留言编号"].strip(), (row["留言用户"] or "").strip(), title, body)
                )
    except (UnicodeDecodeError, csv.Error) as e:
        raise DatasetError(f"{path}: {e}") from e
    if not messages:
        raise DatasetError(f"{path}: no messages")
    return messages


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(text) if s.strip()]


@dataclass(frozen=True, slots=True)
class Strength:
    """How much an edited copy differs from its source."""

    name: str
    operations: tuple[int, int]  # how many distinct operations, at least and at most
    insert: float  # at most this share of the body's length is added
    delete: float  # at most this share of the body is removed
    synonyms: int  # at most this many synonym pairs swapped
    numbers: int  # at most this many numbers changed


MODERATE = Strength("moderate", (1, 3), insert=0.25, delete=0.2, synonyms=4, numbers=3)
HEAVY = Strength("heavy", (2, 4), insert=0.5, delete=0.4, synonyms=8, numbers=10)
STRENGTHS = (MODERATE, HEAVY)


def _insert(rng: random.Random, m: Message, others: Sequence[Message], st: Strength) -> Message:
    # Stock phrases or sentences of other messages, at most `st.insert` of the body's length.
    parts = _sentences(m.body)
    budget = max(int(len(m.body) * st.insert), 8)
    for _ in range(rng.randint(1, 3)):
        if rng.random() < 0.5:
            new = rng.choice(_STOCK)
        else:
            new = rng.choice(_sentences(rng.choice(others).body) or list(_STOCK))
        new = new[:budget]
        if not new:
            break
        budget -= len(new)
        parts.insert(rng.randint(0, len(parts)), new)
    return Message(m.id, m.user, m.title, "".join(parts))


def _delete(rng: random.Random, m: Message, others: Sequence[Message], st: Strength) -> Message:
    # Whole sentences while they fit in `st.delete` of the body, else one span that does.
    parts = _sentences(m.body)
    budget = int(len(m.body) * st.delete)
    short = [i for i, p in enumerate(parts) if len(p) <= budget]
    if len(parts) >= 3 and short:
        rng.shuffle(short)
        gone = set()
        for i in short:
            if len(parts[i]) <= budget and len(gone) < len(parts) - 1:
                gone.add(i)
                budget -= len(parts[i])
        return Message(
            m.id, m.user, m.title, "".join(p for i, p in enumerate(parts) if i not in gone)
        )
    body = m.body
    span = rng.randint(1, max(1, budget))
    start = rng.randint(0, max(0, len(body) - span))
    return Message(m.id, m.user, m.title, body[:start] + body[start + span :])


def _reorder(rng: random.Random, m: Message, others: Sequence[Message], st: Strength) -> Message:
    parts = _sentences(m.body)
    original = list(parts)
    for _ in range(5):
        rng.shuffle(parts)
        if parts != original or len(parts) < 2:
            break
    return Message(m.id, m.user, m.title, "".join(parts))


def _synonym(rng: random.Random, m: Message, others: Sequence[Message], st: Strength) -> Message:
    present = [(a, b) for a, b in SYNONYMS if a in m.text] + [
        (b, a) for a, b in SYNONYMS if b in m.text
    ]
    rng.shuffle(present)
    title, body = m.title, m.body
    for old, new in present[: st.synonyms]:
        title, body = title.replace(old, new), body.replace(old, new)
    return Message(m.id, m.user, title, body)


def _numbers(rng: random.Random, m: Message, others: Sequence[Message], st: Strength) -> Message:
    # Some numbers (a date, a house number, an amount) changed; the rest kept.
    spots = [("t", x.span()) for x in _NUMBER.finditer(m.title)]
    spots += [("b", x.span()) for x in _NUMBER.finditer(m.body)]
    texts = {"t": m.title, "b": m.body}
    for where, (start, end) in sorted(rng.sample(spots, min(st.numbers, len(spots))), reverse=True):
        old = texts[where][start:end]
        new = str(rng.randint(0, 10 ** len(old) - 1))
        if new == old:
            new = str(int(old) + 1)
        texts[where] = texts[where][:start] + new + texts[where][end:]
    return Message(m.id, m.user, texts["t"], texts["b"])


def _title(rng: random.Random, m: Message, others: Sequence[Message], st: Strength) -> Message:
    if rng.random() < 0.7:
        prefix = rng.choice(_TITLE_PREFIX)
        title = f"关于{m.title}的问题" if prefix == "关于" else prefix + m.title
    else:
        first = (_sentences(m.body) or [m.title])[0]
        title = first[:20]
    return Message(m.id, m.user, title, m.body)


_EDITS = {
    "insert": _insert,
    "delete": _delete,
    "reorder": _reorder,
    "synonym": _synonym,
    "numbers": _numbers,
    "title": _title,
}


def edited_copy(
    rng: random.Random, m: Message, others: Sequence[Message], strength: Strength = MODERATE
) -> tuple[Message, tuple[str, ...]]:
    """An edited copy of `m` and the names of the distinct operations applied to it."""
    ops = tuple(rng.sample(OPERATIONS, rng.randint(*strength.operations)))
    for op in ops:
        m = _EDITS[op](rng, m, others, strength)
    return m, ops


def places(m: Message) -> tuple[set[str], set[str]]:
    """The street-level names (路, 小区, 村, ...) and the districts (A3区, K4县) a message names."""
    text = m.title + "\n" + m.body
    streets = {s for s in _STREET.findall(text) if not _DISTRICT.search(s)}
    return streets, set(_DISTRICT.findall(text)) - {"A市"}


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _different_problem(a: Message, b: Message, names: set[str]) -> bool:
    """Another user, and titles that share little once the place names are removed."""
    if a.user == b.user:
        return False
    ta, tb = a.title, b.title
    for name in names:
        ta, tb = ta.replace(name, ""), tb.replace(name, "")
    ba, bb = _bigrams(ta), _bigrams(tb)
    union = ba | bb
    return not union or len(ba & bb) / len(union) < 0.2


def _copied(a: Message, b: Message, run: int = 16) -> bool:
    """Whether the bodies share a verbatim run of `run` characters (spaces ignored): then one
    copies the other, which makes the pair a duplicate, not a different problem."""
    x, y = _NO_SPACE.sub("", a.body), _NO_SPACE.sub("", b.body)
    if len(x) > len(y):
        x, y = y, x
    windows = {x[i : i + run] for i in range(len(x) - run + 1)}
    return any(y[i : i + run] in windows for i in range(len(y) - run + 1))


def split_of(message_id: str, seed: int) -> str:
    return "dev" if zlib.crc32(f"{seed}:{message_id}".encode()) % 2 == 0 else "test"


def build_pairs(
    messages: Sequence[Message],
    *,
    seed: int = 0,
    sources: int = 1500,
    hard: int = 2,
    random_negatives: int = 2,
) -> list[Pair]:
    """Per sampled source: one edited copy (moderate or heavy, half each), up to `hard` hard
    and `random_negatives` random negatives. Deterministic for a given `messages` and `seed`."""
    rng = random.Random(seed)
    by_street: dict[str, list[int]] = defaultdict(list)
    by_district: dict[str, list[int]] = defaultdict(list)
    place_of = []
    for i, m in enumerate(messages):
        streets, districts = places(m)
        place_of.append((streets, districts))
        for s in streets:
            by_street[s].append(i)
        for d in districts:
            by_district[d].append(i)
    chosen = rng.sample(range(len(messages)), min(sources, len(messages)))
    pairs = []
    for i in chosen:
        source = messages[i]
        split = split_of(source.id, seed)
        strength = rng.choice(STRENGTHS)
        copy, ops = edited_copy(rng, source, messages, strength)
        pairs.append(
            Pair(copy.title, copy.body, source.id, True, "edit", split, ops, strength.name)
        )
        streets, districts = place_of[i]
        negatives: list[int] = []
        for names, table in ((streets, by_street), (districts, by_district)):
            pool = sorted({j for n in names for j in table[n]} - {i} - set(negatives))
            rng.shuffle(pool)
            for j in pool:
                if len(negatives) >= hard:
                    break
                shared = (place_of[j][0] & streets) | (place_of[j][1] & districts)
                other = messages[j]
                if _different_problem(source, other, shared) and not _copied(source, other):
                    negatives.append(j)
        for j in negatives:
            other = messages[j]
            pairs.append(Pair(other.title, other.body, source.id, False, "hard", split))
        for _ in range(random_negatives):
            j = rng.randrange(len(messages))
            if j != i and messages[j].user != source.user and not _copied(source, messages[j]):
                other = messages[j]
                pairs.append(Pair(other.title, other.body, source.id, False, "random", split))
    return pairs


def index_messages(messages: Sequence[Message], **kwargs: object) -> DuplicateIndex:
    index = DuplicateIndex(**kwargs)  # type: ignore[arg-type]
    index.add_many([m.id for m in messages], [m.text for m in messages])
    return index


def pair_scores(index: DuplicateIndex, pairs: Sequence[Pair]) -> np.ndarray:
    """Per pair, the target's similarity as the index reports it (estimated Jaccard), 0 when
    LSH does not make the target a candidate."""
    out = np.zeros(len(pairs))
    for n, p in enumerate(pairs):
        found = dict(index.query(p.query_text, k=None, min_similarity=0.0))
        out[n] = found.get(p.target, 0.0)
    return out


def exact_scores(pairs: Sequence[Pair], messages: Sequence[Message]) -> np.ndarray:
    """Per pair, the exact Jaccard similarity of the query and the target's shingle sets."""
    text = {m.id: m.text for m in messages}
    return np.array([jaccard(p.query_text, text[p.target]) for p in pairs])


def precision_recall(scores: np.ndarray, labels: np.ndarray, threshold: float) -> dict:
    predicted = scores >= threshold
    tp = int((predicted & labels).sum())
    fp = int((predicted & ~labels).sum())
    fn = int((~predicted & labels).sum())
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "threshold": round(threshold, 4),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "n": len(labels),
    }


def choose_threshold(scores: np.ndarray, labels: np.ndarray) -> float:
    """The threshold with the best F1 (the middle of the best run of a 0.01 grid)."""
    grid = np.round(np.arange(0.05, 0.96, 0.01), 2)
    f1 = np.array([precision_recall(scores, labels, t)["f1"] for t in grid])
    best = np.flatnonzero(f1 >= f1.max() - 1e-12)
    # The best thresholds form runs; take the middle of the first (widest margin around it).
    run_end = best[0]
    while run_end + 1 in set(best.tolist()):
        run_end += 1
    return float(grid[(best[0] + run_end) // 2])


def evaluate(
    messages: Sequence[Message], *, seed: int = 0, sources: int = 1500, **index_kwargs: object
) -> dict:
    """Build the pairs, index every message, choose the threshold on dev, score test."""
    pairs = build_pairs(messages, seed=seed, sources=sources)
    index = index_messages(messages, **index_kwargs)
    scores = pair_scores(index, pairs)
    labels = np.array([p.duplicate for p in pairs])
    dev = np.array([p.split == "dev" for p in pairs])
    threshold = choose_threshold(scores[dev], labels[dev])
    test = ~dev
    by_kind = {}
    for kind in ("edit", "hard", "random"):
        sel = test & np.array([p.kind == kind for p in pairs])
        flagged = int((scores[sel] >= threshold).sum())
        by_kind[kind] = {"pairs": int(sel.sum()), "flagged": flagged}
    by_op = {}
    for op in OPERATIONS:
        sel = test & np.array([op in p.operations for p in pairs])
        by_op[op] = float((scores[sel] >= threshold).mean()) if sel.any() else None
    by_count = {}
    by_strength = {}
    for strength in STRENGTHS:
        sel = test & np.array([p.strength == strength.name for p in pairs])
        by_strength[strength.name] = float((scores[sel] >= threshold).mean()) if sel.any() else None
    for count in (1, 2, 3, 4):
        sel = test & labels & np.array([len(p.operations) == count for p in pairs])
        by_count[count] = float((scores[sel] >= threshold).mean()) if sel.any() else None
    candidates = test & labels & (scores > 0)
    return {
        "messages": len(messages),
        "pairs": len(pairs),
        "seed": seed,
        "threshold": threshold,
        "dev": precision_recall(scores[dev], labels[dev], threshold),
        "test": precision_recall(scores[test], labels[test], threshold),
        "test_by_kind": by_kind,
        "test_recall_by_operation": by_op,
        "test_recall_by_operation_count": by_count,
        "test_recall_by_strength": by_strength,
        "test_positive_lsh_candidate_rate": float(candidates.sum() / max(1, (test & labels).sum())),
        "scores": scores,
        "pairs_list": pairs,
    }


class Recombiner:
    """Synthetic distinct messages to populate a large index: a real title and two to six
    sentences of random messages, with a run of random characters drawn from the corpus in
    half of them. Deterministic for a (seed, start) and independent of other calls."""

    def __init__(self, messages: Sequence[Message]) -> None:
        self.titles = [m.title for m in messages if m.title]
        self.sentences = [s for m in messages for s in _sentences(m.body) if len(s) >= 4]
        self.chars = "".join(m.body for m in messages).replace(" ", "")

    def texts(self, start: int, count: int, *, seed: int = 0) -> list[str]:
        rng = random.Random(f"recombine:{seed}:{start}")
        out = []
        for _ in range(count):
            body = rng.sample(self.sentences, rng.randint(2, 6))
            if rng.random() < 0.5:
                run = "".join(rng.choices(self.chars, k=rng.randint(10, 40)))
                body.insert(rng.randint(0, len(body)), run)
            out.append(message_text(rng.choice(self.titles), "".join(body)))
        return out
