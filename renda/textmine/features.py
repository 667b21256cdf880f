"""Feature extraction shared by training and scoring, so both see exactly the same terms.

Three blocks, each a sublinear-tf, idf-weighted, L2-normalised bag of terms (chosen on a
validation split of the competition's train.csv; see bench/bench_textmine.py):

* "full": character 1–3-grams of title + body opening. Robust to unknown place names,
  typos and segmentation mistakes.
* "title": character 1–3-grams of the title alone, at full weight. The title names the
  problem; the body often wanders.
* "words": word uni- and bigrams of the title and body opening: phrases such as 医保 报销
  that single characters cannot tell apart. jieba is far too slow to run per message (half a
  millisecond for 150 characters), so it runs only in training, where the words it finds in
  at least two messages become the model's lexicon; both training and scoring then cut text
  by forward maximum matching against that lexicon (`max_match`), ten times faster.

Terms are integers, not strings, so one message is a few numpy operations rather than a
Python loop per n-gram: every character gets an id from the model's alphabet, and an n-gram
is its ids packed into one int64 (`CHAR_BITS` bits each) tagged with its order; a word
n-gram likewise packs word ids. A block's vocabulary is the sorted array of the keys kept in
training, looked up with `np.searchsorted`. A character or word the model never saw has id
0, which no kept key holds.

Only the opening of a long body is read: it carries the topic, and it bounds the time and
memory one message can cost (a 100,000-character paste costs the same as a 1,000-character one).
"""

import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import repeat

import numpy as np

from renda.textmine.segment import Segmenter

TITLE_CHARS = 200
BODY_CHARS = 1000
BODY_WORD_CHARS = 400
MAX_WORD_CHARS = 4
BLOCKS = ("full", "title", "words")
# The title block at weight 1.0 rather than 0.5: 4-fold cross-validation over train.csv's full
# messages (2,005, every fold's training rows cleared of copies of its held-out messages),
# uncalibrated NB-SVM blend, macro-F1 0.9178 (0.5), 0.9200 (0.8), 0.9219 (1.0), 0.9192 (1.5);
# 1.0 was ahead of 0.5 in all four folds.
BLOCK_WEIGHTS = {"full": 1.0, "title": 1.0, "words": 1.0}
# Ids below 2**20 per character, 2**24 per word: n-gram keys of either fit an int64. Each key
# carries its order in bits 60-61, so a bigram whose first character is unknown (id 0) never
# reads as the unigram of its second.
CHAR_BITS = 20
WORD_BITS = 24
_ORDER_2 = np.int64(1 << 60)
_ORDER_3 = np.int64(2 << 60)
MAX_CHAR_ID = 2**CHAR_BITS - 1
MAX_WORD_ID = 2**WORD_BITS - 1


def config() -> dict[str, object]:
    """What a model's terms depend on; a model trained with other settings must be retrained."""
    return {
        "title_chars": TITLE_CHARS,
        "body_chars": BODY_CHARS,
        "body_word_chars": BODY_WORD_CHARS,
        "block_weights": BLOCK_WEIGHTS,
        "char_ngrams": [1, 3],
        "word_ngrams": [1, 2],
        "words": "max-match",
    }


def char_keys(codes: np.ndarray) -> np.ndarray:
    """Keys of the character 1-, 2- and 3-grams of a sequence of character ids."""
    c = codes.astype(np.int64, copy=False)
    return np.concatenate(
        [
            c,
            _ORDER_2 | (c[:-1] << CHAR_BITS) | c[1:],
            _ORDER_3 | (c[:-2] << (2 * CHAR_BITS)) | (c[1:-1] << CHAR_BITS) | c[2:],
        ]
    )


def word_keys(ids: np.ndarray) -> np.ndarray:
    """Keys of the words and pairs of neighbouring words of a sequence of word ids."""
    w = ids.astype(np.int64, copy=False)
    return np.concatenate([w, _ORDER_2 | (w[:-1] << WORD_BITS) | w[1:]])


def max_match(
    text: str, lexicon: Mapping[str, int], prefixes: Mapping[str, tuple[int, ...]] | None = None
) -> list[str]:
    """The words of `text` found by forward maximum matching against `lexicon` (words of 2 to
    `MAX_WORD_CHARS` characters); characters in no word are skipped, the character blocks
    read them. Ten times faster than jieba on the same text, which matters at one message
    per call: it reads the whole body opening for well under a tenth of a millisecond.

    `prefixes` (see `word_prefixes`, built once per lexicon) lets most positions be passed
    over with one look-up and the others try only the lengths of words that start there; the
    words found are the same with or without it."""
    if prefixes is None:
        prefixes = word_prefixes(lexicon)
    words = []
    i, n = 0, len(text)
    get = lexicon.get
    sizes = prefixes.get
    while i < n - 1:
        head = text[i : i + 2]
        for size in sizes(head, ()):
            word = text[i : i + size] if size > 2 else head
            if len(word) == size and get(word):
                words.append(word)
                i += size
                break
        else:
            i += 1
    return words


def word_prefixes(lexicon: Iterable[str]) -> dict[str, tuple[int, ...]]:
    """The first two characters of every word of 2 to `MAX_WORD_CHARS` characters → the
    lengths of the words that start with them, longest first: a position whose next two
    characters are not here starts no word."""
    found: dict[str, set[int]] = {}
    for word in lexicon:
        if 2 <= len(word) <= MAX_WORD_CHARS:
            found.setdefault(word[:2], set()).add(len(word))
    return {head: tuple(sorted(lengths, reverse=True)) for head, lengths in found.items()}


@dataclass(frozen=True, slots=True)
class Lookup:
    """Look-up tables of one model's alphabet and lexicon, built once: character ids by code
    point (read for a whole text at C speed) and the lexicon's word prefixes."""

    codes: np.ndarray  # character id indexed by code point; 0 for characters not in it
    prefixes: dict[str, tuple[int, ...]]

    @classmethod
    def build(cls, alphabet: Mapping[str, int], lexicon: Mapping[str, int]) -> "Lookup":
        points = np.array([ord(c) for c in alphabet if len(c) == 1], dtype=np.int64)
        ids = np.array([i for c, i in alphabet.items() if len(c) == 1], dtype=np.int32)
        # Every code point has a slot (4 MiB): one gather reads a whole text, no bounds checks.
        codes = np.zeros(sys.maxunicode + 1, dtype=np.int32)
        codes[points] = ids
        return cls(codes, word_prefixes(lexicon))

    def char_ids(self, text: str) -> np.ndarray:
        return self.codes[_code_points(text)].astype(np.int64)


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def message_text(title: str, body: str) -> tuple[str, int, int]:
    """For one normalised message: the lower-cased text the character blocks read ("WiFi" is
    "wifi"), how much of it is the title, and where the body opening that the word block
    reads ends in it (it starts after the title and the line break)."""
    title, body = title[:TITLE_CHARS].lower(), body[:BODY_CHARS].lower()
    return f"{title}\n{body}", len(title), len(title) + 1 + min(len(body), BODY_WORD_CHARS)


def segmented_words(segmenter: Segmenter, title: str, body: str) -> list[str]:
    """jieba's content words of a normalised message's title and body opening: in training,
    the words of 2 to `MAX_WORD_CHARS` characters that recur become the lexicon."""
    title, body = title[:TITLE_CHARS].lower(), body[:BODY_WORD_CHARS].lower()
    return [
        w
        for w in segmenter.terms(title, normalized=True) + segmenter.terms(body, normalized=True)
        if 2 <= len(w) <= MAX_WORD_CHARS
    ]


def message_keys(
    alphabet: Mapping[str, int],
    lexicon: Mapping[str, int],
    title: str,
    body: str,
    lookup: Lookup | None = None,
) -> dict[str, np.ndarray]:
    """The term keys of each block for one normalised message (unknown terms included);
    `lookup` is `Lookup.build(alphabet, lexicon)`, which a caller scoring many messages
    builds once."""
    if lookup is None:
        lookup = Lookup.build(alphabet, lexicon)
    text, n_title, n_words = message_text(title, body)
    codes = lookup.char_ids(text)  # unknown characters get 0
    # Title and body are cut apart so that no word is made across the join.
    words = max_match(text[:n_title], lexicon, lookup.prefixes)
    words += max_match(text[n_title + 1 : n_words], lexicon, lookup.prefixes)
    word_ids = np.fromiter(map(lexicon.get, words, repeat(0)), dtype=np.int64, count=len(words))
    full = char_keys(codes)
    # The title's n-grams are the first of each order in `full`: `char_keys(codes[:n_title])`.
    n = len(codes)
    title_keys = np.concatenate(
        [
            full[:n_title],
            full[n : n + max(0, n_title - 1)],
            full[2 * n - 1 : 2 * n - 1 + max(0, n_title - 2)],
        ]
    )
    return {"full": full, "title": title_keys, "words": word_keys(word_ids)}


def tfidf(keys: np.ndarray, vocabulary: np.ndarray, idf: np.ndarray) -> tuple[np.ndarray, ...]:
    """Columns and values of one block's L2-normalised sublinear tf-idf vector: `vocabulary`
    is the block's sorted keys, `idf` their weights; keys not in it are left out."""
    if not len(keys) or not len(vocabulary):
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)
    # Counting first leaves fewer, sorted keys to search: half the time of searching them all.
    keys, tf = np.unique(keys, return_counts=True)
    pos = np.searchsorted(vocabulary, keys)
    pos[pos == len(vocabulary)] = 0
    known = vocabulary[pos] == keys
    idx = pos[known]
    x = (1.0 + np.log(tf[known])) * idf[idx]
    norm = np.sqrt(x @ x)
    return idx, (x / norm if norm > 0 else x)


def sequence_ids(
    items: Iterable[Iterable[str]], limit: int, *, min_count: int = 1
) -> dict[str, int]:
    """Ids 1, 2, … for every distinct item seen `min_count` times, most frequent first (ids
    stay below `limit`)."""
    counts: dict[str, int] = {}
    for seq in items:
        for item in seq:
            counts[item] = counts.get(item, 0) + 1
    frequent = [k for k, n in counts.items() if n >= min_count]
    ranked = sorted(frequent, key=lambda k: (-counts[k], k))[:limit]
    return {item: i for i, item in enumerate(ranked, start=1)}
