"""Chinese word segmentation with jieba, the deployment's own vocabulary and stop words.

Each `Segmenter` owns a private `jieba.Tokenizer`, so one deployment's place names never leak
into another's segmentation and tests cannot disturb each other through jieba's global
tokenizer. The tokenizer's dictionary takes about a second to load, so it is built on first use.
"""

import logging
import re
import threading
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import jieba

from renda.textmine.normalize import normalize

_DATA = Path(__file__).resolve().parent / "data"

# A word made only of punctuation, symbols or digits says nothing about the problem raised.
_NOT_A_TERM = re.compile(r"^[\W\d_]+$")
# A user word must outweigh any split of it; jieba's suggestion alone can lose to a
# frequent neighbour in context, so it gets at least this dictionary frequency.
_MIN_USER_FREQ = 2000


def _read_word_list(path: Path) -> list[str]:
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.append(word)
    return words


@cache
def renda_words() -> tuple[str, ...]:
    """The built-in 人大 vocabulary (人大代表, 联络站, 督办, 票决, 民生实事, ...)."""
    return tuple(_read_word_list(_DATA / "renda_words.txt"))


@cache
def stop_words() -> frozenset[str]:
    """The built-in stop words: function words and message-board boilerplate."""
    return frozenset(_read_word_list(_DATA / "stopwords.txt"))


class Segmenter:
    """Cuts normalised Chinese text into words, keeping the deployment's words whole.

    `user_words` are the deployment's place names and vocabulary (the district's towns,
    streets and communities, its units); they join the built-in 人大 word list.
    """

    def __init__(self, user_words: Iterable[str] = (), *, hmm: bool = False) -> None:
        words = [*renda_words(), *(normalize(w) for w in user_words)]
        # Whitespace inside a word would never match jieba's cut, so such words are dropped.
        self.user_words: tuple[str, ...] = tuple(
            dict.fromkeys(w for w in words if w and not any(c.isspace() for c in w))
        )
        # The HMM guesses unknown words; it costs ~40% more time, and the user dictionary
        # already covers the names that matter, so it is off unless asked for.
        self.hmm = hmm
        self._stop = stop_words()
        self._tokenizer: jieba.Tokenizer | None = None
        self._lock = threading.Lock()

    def _loaded(self) -> jieba.Tokenizer:
        if self._tokenizer is None:
            with self._lock:
                if self._tokenizer is None:
                    self._tokenizer = self._build()
        return self._tokenizer

    def _build(self) -> jieba.Tokenizer:
        # jieba logs "Building prefix dict ..." at DEBUG on stderr, which would pollute
        # command-line output.
        jieba.setLogLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        for word in self.user_words:
            freq = max(tokenizer.suggest_freq(word, tune=False), _MIN_USER_FREQ)
            tokenizer.add_word(word, freq=freq)
        return tokenizer

    def cut(self, text: str, *, normalized: bool = False) -> list[str]:
        """Every word of `text` in order, without whitespace tokens."""
        if not normalized:
            text = normalize(text)
        if not text:
            return []
        return [w for w in self._loaded().cut(text, HMM=self.hmm) if not w.isspace()]

    def terms(self, text: str, *, normalized: bool = False) -> list[str]:
        """The content words of `text`: no stop words, punctuation or bare numbers.

        English words are lower-cased so "WiFi" and "wifi" count as one term.
        """
        return [
            w.lower()
            for w in self.cut(text, normalized=normalized)
            if w not in self._stop and not _NOT_A_TERM.match(w)
        ]
