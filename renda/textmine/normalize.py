"""Normalisation of Chinese opinion text before segmentation, features or comparison.

Messages arrive from forms, Excel exports and phones: traditional characters mixed with
simplified, full-width digits and letters, Excel's escaped carriage returns (`_x000D_`) and
runs of blank space. Everything downstream (classifier, duplicate detection, hot words)
sees one canonical form, so two spellings of the same message look the same.
"""

import re
import threading

import opencc

# Excel writes a carriage return inside a cell as the literal text `_x000D_`.
_EXCEL_ESCAPE = re.compile(r"_x000[dD]_")
# Zero-width characters and the BOM are invisible but break n-grams and dictionary matches.
_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff]")
# Control characters other than whitespace carry no text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACE = re.compile(r"\s+")

# Full-width sentence punctuation is the normal form in Chinese prose, so it stays as it is;
# every other full-width ASCII form (digits, letters, symbols such as ％ ＋ －) becomes ASCII,
# so "２０２４年" and "2024年" are the same tokens.
_KEEP_FULL_WIDTH = set("！（），：；？")
_HALF_WIDTH = {
    code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F) if chr(code) not in _KEEP_FULL_WIDTH
}
_HALF_WIDTH[0x3000] = ord(" ")  # ideographic space
# Replacing only the matches: `str.translate` looks up every character of a Chinese text.
_FULL_WIDTH = re.compile("[" + "".join(sorted(map(chr, _HALF_WIDTH))) + "]")

_converter: opencc.OpenCC | None = None
_converter_lock = threading.Lock()


def _t2s() -> opencc.OpenCC:
    # Built once: the converter loads its dictionaries (shipped inside the wheel) on creation.
    global _converter
    if _converter is None:
        with _converter_lock:
            if _converter is None:
                _converter = opencc.OpenCC("t2s")
    return _converter


def to_simplified(text: str) -> str:
    """Traditional Chinese characters and phrases to simplified; other text unchanged."""
    return _t2s().convert(text) if text else text


def to_half_width(text: str) -> str:
    """Full-width digits, letters and symbols to ASCII, keeping Chinese sentence punctuation."""
    return _FULL_WIDTH.sub(_half_width, text)


def _half_width(match: re.Match[str]) -> str:
    return chr(_HALF_WIDTH[ord(match[0])])


def normalize(text: str | None) -> str:
    """The canonical form of one message: simplified, half-width, single spaces, stripped."""
    if not text:
        return ""
    text = _EXCEL_ESCAPE.sub(" ", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    text = to_half_width(text)
    text = _SPACE.sub(" ", text).strip()
    return to_simplified(text)
