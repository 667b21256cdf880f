"""Feature extraction shared by training and scoring, so both see exactly the same terms.

Three blocks, each a sublinear-tf, idf-weighted, L2-normalised bag of terms (chosen on a
validation split of the competition's train.csv; see bench/bench_textmine.py):

* "full": character 1–3-grams of title + body opening. Robust to unknown place names,
  typos and segmentation mistakes.
* "title": character 1–3-grams of the title alone, at half weight. The title names the
  problem; the body often wanders.
* "words": jieba word uni- and bigrams of the title and the first sentences of the body:
  phrases such as 医保 报销 that single characters cannot tell apart. Segmentation is the
  slowest step, so it reads less of the body than the character blocks do.

Only the opening of a long body is read: it carries the topic, and it bounds the time and
memory one message can cost (a 100,000-character paste costs the same as a 1,000-character one).
"""

import itertools
from collections.abc import Sequence

from renda.textmine.segment import Segmenter

TITLE_CHARS = 200
BODY_CHARS = 1000
BODY_WORD_CHARS = 400
BLOCKS = ("full", "title", "words")
BLOCK_WEIGHTS = {"full": 1.0, "title": 0.5, "words": 1.0}


def config() -> dict[str, object]:
    """What a model's terms depend on; a model trained with other settings must be retrained."""
    return {
        "title_chars": TITLE_CHARS,
        "body_chars": BODY_CHARS,
        "body_word_chars": BODY_WORD_CHARS,
        "block_weights": BLOCK_WEIGHTS,
    }


def char_ngrams(text: str) -> list[str]:
    """Character 1-, 2- and 3-grams of lower-cased text (lower case: "WiFi" is "wifi")."""
    text = text.lower()
    n = len(text)
    return [
        *text,
        *(text[i : i + 2] for i in range(n - 1)),
        *(text[i : i + 3] for i in range(n - 2)),
    ]


def word_ngrams(words: Sequence[str]) -> list[str]:
    """Words and pairs of neighbouring words."""
    return [*words, *(f"{a} {b}" for a, b in itertools.pairwise(words))]


def identity(terms: list[str]) -> list[str]:
    # Module level, not a lambda: the training vectoriser is given ready-made terms.
    return terms


def message_terms(segmenter: Segmenter, title: str, body: str) -> dict[str, list[str]]:
    """The terms of each block for one normalised message."""
    title, body = title[:TITLE_CHARS], body[:BODY_CHARS]
    # Title and body are segmented apart so that no word is made across the join.
    words = segmenter.terms(title, normalized=True) + segmenter.terms(
        body[:BODY_WORD_CHARS], normalized=True
    )
    return {
        "full": char_ngrams(f"{title}\n{body}"),
        "title": char_ngrams(title),
        "words": word_ngrams(words),
    }
