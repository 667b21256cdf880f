"""From a case to what is stored for it: its terms, its fingerprint and its area.

The segmenter is built once per process with the deployment's place names (every region's
name) as its user dictionary; loading jieba's dictionary takes about a second, so it is built
on first use. Place names added later reach the dictionary when the process restarts (or
after `reset_segmenter()`, which `rebuild_case_terms` calls).
"""

import hashlib
import threading

from renda.hotwords.tiers import Node
from renda.org.models import Level, Region
from renda.textmine.hotterms import ANALYZER_VERSION, document_terms
from renda.textmine.segment import Segmenter

_lock = threading.Lock()
_segmenter: Segmenter | None = None


def segmenter() -> Segmenter:
    global _segmenter
    if _segmenter is None:
        with _lock:
            if _segmenter is None:
                names = Region.objects.values_list("name", flat=True).distinct()
                _segmenter = Segmenter(list(names))
    return _segmenter


def reset_segmenter() -> None:
    global _segmenter
    with _lock:
        _segmenter = None


def case_terms_of(title: str, content: str) -> list[list[str | int]]:
    """The stored form of a case's terms: [[term, occurrences], ...], most telling first."""
    seg = segmenter()
    return [[t, n] for t, n in document_terms(seg.terms(title or ""), seg.terms(content or ""))]


def fingerprint(title: str, content: str) -> str:
    text = f"{ANALYZER_VERSION}\x00{title or ''}\x00{content or ''}"
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def area_chain(region: Region) -> list[Node]:
    """The region a case counts under (its town, or itself above town level, or a village
    with no town above it), then every region above that, nearest first: one query."""
    step = Region.steplen
    prefixes = [region.path[:end] for end in range(step, len(region.path) + 1, step)]
    found = sorted(
        Region.objects.filter(path__in=prefixes).values_list("pk", "path", "level"),
        key=lambda row: -len(row[1]),
    )
    chain = [Node(pk, path, level) for pk, path, level in found]
    if region.level == Level.VILLAGE:
        town = next((n for n in chain if n.level == Level.TOWN), None)
        if town is not None:
            chain = [n for n in chain if town.path.startswith(n.path)]
    return chain
