"""Near-duplicate detection: MinHash over character shingles with LSH banding, kept up to date
incrementally.

A message is normalised (simplified, half-width), stripped of everything but letters, digits
and CJK characters, lower-cased and cut into overlapping character 3-grams (shingles). Two
messages are near-duplicates when their shingle sets overlap a lot: the Jaccard similarity
|A ∩ B| / |A ∪ B|. MinHash keeps, for each of `num_perm` hash functions, the smallest hash of
the set; the fraction of positions where two signatures agree estimates their Jaccard
similarity (standard error sqrt(J(1-J)/num_perm), about 0.04 at J = 0.5 with 128).

LSH banding cuts the signature into `bands` bands of `rows` values; two messages become
candidates when any band is equal, which happens with probability 1 - (1 - J^rows)^bands.
Only the candidates are compared, so a lookup does not grow with the size of the index.

Everything is deterministic across processes and machines: a shingle's id is its three code
points packed into one integer (no Python `hash()`), mixed by the splitmix64 finaliser, then
hashed by `num_perm` affine maps modulo 2^32 with coefficients drawn from a fixed seed.

Memory: one uint32 per permutation per message (512 bytes with 128) plus one uint64 per band
in the lookup table (512 bytes with 64 bands): about 1 GB for 1,000,000 messages, plus the
doc_id maps.

The index is thread-safe (one lock); `save(path)` / `load(path)` write and read one `.npz` file
with no pickled objects in it.
"""

import json
import re
import threading
from collections.abc import Hashable, Iterable, Sequence
from pathlib import Path

import numpy as np

from renda.textmine.normalize import normalize

FORMAT_VERSION = 1
SHINGLE = 3
NUM_PERM = 128
BANDS = 64
SEED = 20240605
# Estimated Jaccard at or above which a candidate counts as a duplicate. Chosen on the dev
# half of the evaluation set built by `renda.textmine.dedup_eval` (the middle of the run of
# thresholds with the best F1 there); bench/bench_dedup.py prints the figures on the test half.
# 64 bands of 2 rows make a pair at this similarity a candidate with probability 0.76, at
# 0.25 with 0.98 and at 0.3 with 0.998.
DEFAULT_THRESHOLD = 0.15
# A candidate must share this many bands with the query before its signature is compared.
MIN_BAND_MATCHES = 1
# Buckets holding more messages than this are skipped at lookup.
MAX_BUCKET = 20000

# Letters, digits and CJK characters survive; punctuation, symbols, emoji and spaces go, so
# "小区，噪音" and "小区噪音" have the same shingles.
_NOT_TEXT = re.compile(r"[\W_]+")
_U64 = np.uint64
_EMPTY_IDS = np.empty(0, dtype=np.uint64)
# Slots (messages indexed since the last compaction) fit in this many bits of a table entry.
_SLOT_BITS = 26
_SLOT_MASK = (1 << _SLOT_BITS) - 1
MAX_MESSAGES = 1 << _SLOT_BITS  # 67,108,864
# Below this many buffered additions the LSH tables are not re-sorted (see `_maybe_merge`).
_MIN_MERGE = 4096


def _mix64(z: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: a fixed bijection of uint64 that spreads every input bit."""
    z = z + _U64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> _U64(30))) * _U64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> _U64(27))) * _U64(0x94D049BB133111EB)
    return z ^ (z >> _U64(31))


def canonical(text: str | None) -> str:
    """The text that is shingled: normalised, only letters, digits and CJK, lower case."""
    return _NOT_TEXT.sub("", normalize(text)).lower()


def message_text(title: str | None, body: str | None) -> str:
    """One message's title and body as one text to index or query."""
    return f"{title or ''}\n{body or ''}"


def shingle_ids(text: str | None, *, k: int = SHINGLE) -> np.ndarray:
    """The sorted distinct ids (uint64) of the character k-grams of `canonical(text)`.

    A k-gram's id packs its k code points (21 bits each), so it is exact for k <= 3; a text
    shorter than k is one shingle. An empty text has no shingles.
    """
    s = canonical(text)
    if not s:
        return _EMPTY_IDS
    cp = np.frombuffer(s.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(cp) < k:
        cp = np.concatenate([cp, np.zeros(k - len(cp), dtype=np.uint64)])
    n = len(cp) - k + 1
    ids = cp[:n].copy()
    for i in range(1, k):
        ids = (ids << _U64(21)) ^ cp[i : i + n]
    return np.unique(ids)


def jaccard(text_a: str | None, text_b: str | None) -> float:
    """The exact Jaccard similarity of two texts' shingle sets (0 when either is empty)."""
    a, b = shingle_ids(text_a), shingle_ids(text_b)
    if not len(a) or not len(b):
        return 0.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter)


class MinHasher:
    """Signatures of shingle sets: `num_perm` uint32 values per text."""

    def __init__(self, num_perm: int = NUM_PERM, seed: int = SEED) -> None:
        rng = np.random.default_rng(seed)
        self.num_perm = num_perm
        self.seed = seed
        # Odd multipliers make each map a permutation of the 32-bit values.
        self._a = (rng.integers(0, 2**32, size=num_perm, dtype=np.uint64) | 1).astype(np.uint32)
        self._b = rng.integers(0, 2**32, size=num_perm, dtype=np.uint64).astype(np.uint32)

    def _hashed(self, ids: np.ndarray) -> np.ndarray:
        return (_mix64(ids) >> _U64(32)).astype(np.uint32)

    def signature(self, ids: np.ndarray) -> np.ndarray:
        """One signature (uint32[num_perm]); all 0xFFFFFFFF for an empty set."""
        if not len(ids):
            return np.full(self.num_perm, np.iinfo(np.uint32).max, dtype=np.uint32)
        h = np.multiply.outer(self._a, self._hashed(ids))
        h += self._b[:, None]
        return h.min(axis=1)

    def signatures(self, id_sets: Sequence[np.ndarray], *, chunk: int = 32768) -> np.ndarray:
        """Signatures of many sets at once (uint32[len(id_sets), num_perm]), in chunks of about
        `chunk` shingles so the work array stays in cache."""
        out = np.full((len(id_sets), self.num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
        start = 0
        while start < len(id_sets):
            stop, total = start, 0
            while stop < len(id_sets) and (total == 0 or total + len(id_sets[stop]) <= chunk):
                total += len(id_sets[stop])
                stop += 1
            rows = [i for i in range(start, stop) if len(id_sets[i])]
            if rows:
                lengths = np.array([len(id_sets[i]) for i in rows])
                offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
                hashed = self._hashed(np.concatenate([id_sets[i] for i in rows]))
                h = np.multiply.outer(self._a, hashed)
                h += self._b[:, None]
                out[rows] = np.minimum.reduceat(h, offsets, axis=1).T
            start = stop
        return out


def band_keys(signatures: np.ndarray, bands: int) -> np.ndarray:
    """uint32[n, bands]: one key per band, a hash of the band's `rows` signature values."""
    n, num_perm = signatures.shape
    rows = num_perm // bands
    s = signatures[:, : bands * rows].reshape(n, bands, rows).astype(np.uint64)
    key = np.broadcast_to(np.arange(bands, dtype=np.uint64) * _U64(0x9E3779B97F4A7C15), (n, bands))
    for r in range(rows):
        key = _mix64(key ^ s[:, :, r])
    return (key >> _U64(32)).astype(np.uint32)


class DuplicateIndex:
    """MinHash/LSH index of messages for near-duplicate lookup, updated one message at a time.

    `add(doc_id, text, area=...)`, `remove(doc_id)` and `query(text, area=..., k=...)` never
    rebuild the index: additions go to a small buffer that is merged into the sorted LSH
    tables once it holds a tenth of the index (amortised, like a log-structured store).
    `doc_id` is an int or a str; `area` any str or int (a region code), or None.
    """

    def __init__(
        self,
        *,
        num_perm: int = NUM_PERM,
        bands: int = BANDS,
        seed: int = SEED,
        threshold: float = DEFAULT_THRESHOLD,
        min_band_matches: int = MIN_BAND_MATCHES,
        max_bucket: int = MAX_BUCKET,
    ) -> None:
        if num_perm % bands or not 1 <= bands <= 64:
            raise ValueError(f"bands ({bands}) must divide num_perm ({num_perm}), at most 64")
        self.hasher = MinHasher(num_perm, seed)
        self.num_perm, self.bands, self.rows, self.seed = num_perm, bands, num_perm // bands, seed
        self.threshold = threshold
        self.min_band_matches = min_band_matches
        self.max_bucket = max_bucket
        self._lock = threading.RLock()
        self._sigs = np.empty((0, num_perm), dtype=np.uint32)
        self._area = np.empty(0, dtype=np.int32)  # area code per slot, -1 for none
        self._alive = np.empty(0, dtype=bool)  # slot holds a current message
        self._banded = np.empty(0, dtype=bool)  # slot has shingles (an empty text has none)
        self._n = 0  # slots used
        self._ids: list[Hashable] = []  # doc_id per slot
        self._slot: dict[Hashable, int] = {}
        self._areas: dict[Hashable, int] = {}
        self._area_names: list[Hashable] = []
        # The LSH table: one sorted uint64 per merged slot and band, packing the band (top
        # bits), the band's key (32 bits) and the slot (low `_SLOT_BITS`); two searchsorted
        # calls find every bucket of a query.
        self._table = np.empty(0, dtype=np.uint64)
        self._buffer: dict[int, list[int]] = {}  # (band << 32 | key) -> slots added since
        self._buffered = 0
        self._stale = False  # bulk additions not yet in the sorted tables

    # -- size and membership -------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._slot)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._slot

    def nbytes(self) -> int:
        """Bytes held by the numpy arrays (signatures, per-slot fields, LSH tables)."""
        arrays = (self._sigs, self._area, self._alive, self._banded, self._table)
        return sum(a.nbytes for a in arrays)

    # -- updates -----------------------------------------------------------------------

    def _area_code(self, area: Hashable | None, *, create: bool) -> int | None:
        if area is None:
            return -1
        code = self._areas.get(area)
        if code is None and create:
            code = self._areas[area] = len(self._area_names)
            self._area_names.append(area)
        return code

    def _grow(self, extra: int) -> None:
        need = self._n + extra
        if need <= len(self._sigs):
            return
        cap = max(need, 2 * len(self._sigs), 1024)

        def grown(a: np.ndarray, fill: object) -> np.ndarray:
            b = np.full((cap, *a.shape[1:]), fill, dtype=a.dtype)
            b[: self._n] = a[: self._n]
            return b

        self._sigs = grown(self._sigs, 0)
        self._area = grown(self._area, -1)
        self._alive = grown(self._alive, False)
        self._banded = grown(self._banded, False)

    def add(self, doc_id: Hashable, text: str | None, *, area: Hashable | None = None) -> None:
        """Index one message; a doc_id already present is replaced."""
        self.add_many([doc_id], [text], areas=[area])

    def add_many(
        self,
        doc_ids: Sequence[Hashable],
        texts: Sequence[str | None],
        *,
        areas: Sequence[Hashable | None] | None = None,
    ) -> None:
        """Index many messages at once (signatures computed in bulk: for loading an index)."""
        if areas is None:
            areas = [None] * len(doc_ids)
        if not len(doc_ids) == len(texts) == len(areas):
            raise ValueError("doc_ids, texts and areas must have the same length")
        sigs = self.hasher.signatures([shingle_ids(t) for t in texts])
        self.add_signatures(doc_ids, sigs, areas=areas)

    def add_signatures(
        self,
        doc_ids: Sequence[Hashable],
        signatures: np.ndarray,
        *,
        areas: Sequence[Hashable | None] | None = None,
    ) -> None:
        """Index messages whose signatures were computed already (by `self.hasher`)."""
        if areas is None:
            areas = [None] * len(doc_ids)
        if signatures.shape != (len(doc_ids), self.num_perm):
            raise ValueError(f"expected signatures of shape ({len(doc_ids)}, {self.num_perm})")
        empty = np.iinfo(np.uint32).max
        if len(set(doc_ids)) != len(doc_ids):
            raise ValueError("doc_ids repeat within one call")
        with self._lock:
            for doc_id in doc_ids:
                self.remove(doc_id)
            if self._n + len(doc_ids) > MAX_MESSAGES:
                self._compact()  # renumbers the slots: the table is rebuilt before a lookup
                self._stale = True
                if self._n + len(doc_ids) > MAX_MESSAGES:
                    raise ValueError(f"an index holds at most {MAX_MESSAGES:,} messages")
            self._grow(len(doc_ids))
            first = self._n
            slots = np.arange(first, first + len(doc_ids))
            self._sigs[slots] = signatures
            self._area[slots] = [self._area_code(a, create=True) for a in areas]
            self._alive[slots] = True
            self._banded[slots] = ~(signatures == empty).all(axis=1)
            self._ids.extend(doc_ids)
            self._slot.update(zip(doc_ids, slots.tolist(), strict=True))
            self._n += len(doc_ids)
            if len(doc_ids) >= _MIN_MERGE:
                # A bulk load: the tables are re-sorted once, before the next lookup.
                self._stale = True
                return
            banded = slots[self._banded[slots]]
            keys = band_keys(self._sigs[banded], self.bands)
            for slot, row in zip(banded.tolist(), keys.tolist(), strict=True):
                for band, key in enumerate(row):
                    self._buffer.setdefault(band << 32 | key, []).append(slot)
            self._buffered += len(banded)
            self._maybe_merge()

    def remove(self, doc_id: Hashable) -> bool:
        """Forget one message; False when it was not indexed."""
        with self._lock:
            slot = self._slot.pop(doc_id, None)
            if slot is None:
                return False
            self._alive[slot] = False
            self._ids[slot] = None
            return True

    def _maybe_merge(self) -> None:
        if self._buffered >= max(_MIN_MERGE, len(self._table) // (10 * self.bands)):
            self._merge()

    def _merge(self) -> None:
        """Rebuild the sorted LSH tables from the live slots, dropping removed messages and,
        when a quarter of the slots are dead, compacting the arrays."""
        dead = self._n - len(self._slot)
        if dead and dead * 4 >= self._n:
            self._compact()
        live = np.flatnonzero(self._alive[: self._n] & self._banded[: self._n]).astype(np.uint32)
        n = len(live)
        table = np.empty(self.bands * n, dtype=np.uint64)
        for start in range(0, n, 65536):
            part = live[start : start + 65536]
            keys = band_keys(self._sigs[part], self.bands).astype(np.uint64) << _U64(_SLOT_BITS)
            keys |= part[:, None].astype(np.uint64)
            for band in range(self.bands):
                table[band * n + start : band * n + start + len(part)] = keys[:, band]
        for band in range(self.bands):
            section = table[band * n : (band + 1) * n]
            section.sort()
            section |= _U64(band << (32 + _SLOT_BITS))
        self._table = table
        self._buffer.clear()
        self._buffered = 0
        self._stale = False

    def flush(self) -> None:
        """Sort bulk additions into the lookup tables now rather than at the next lookup."""
        with self._lock:
            if self._stale:
                self._merge()

    def _compact(self) -> None:
        keep = np.flatnonzero(self._alive[: self._n])
        self._sigs = self._sigs[keep].copy()
        self._area = self._area[keep].copy()
        self._banded = self._banded[keep].copy()
        self._alive = np.ones(len(keep), dtype=bool)
        self._ids = [self._ids[i] for i in keep.tolist()]
        self._slot = {doc_id: i for i, doc_id in enumerate(self._ids)}
        self._n = len(keep)

    # -- lookups -----------------------------------------------------------------------

    def signature(self, text: str | None) -> np.ndarray:
        return self.hasher.signature(shingle_ids(text))

    def _candidates(self, sig: np.ndarray) -> np.ndarray:
        """Slots sharing at least `min_band_matches` bands with `sig`, skipping buckets of more
        than `max_bucket` messages (a band made of very common shingles says nothing)."""
        keys = band_keys(sig[None, :], self.bands)[0].astype(np.uint64)
        keys |= np.arange(self.bands, dtype=np.uint64) << _U64(32)
        found = []
        if len(self._table):
            first = keys << _U64(_SLOT_BITS)
            lo = self._table.searchsorted(first, side="left")
            hi = self._table.searchsorted(first | _U64(_SLOT_MASK), side="right")
            for i in np.flatnonzero((hi > lo) & (hi - lo <= self.max_bucket)).tolist():
                found.append((self._table[lo[i] : hi[i]] & _U64(_SLOT_MASK)).astype(np.uint32))
        if self._buffer:
            for key in keys.tolist():
                slots = self._buffer.get(key)
                if slots:
                    found.append(np.array(slots, dtype=np.uint32))
        if not found:
            return np.empty(0, dtype=np.intp)
        if self.min_band_matches <= 1:
            return np.unique(np.concatenate(found)).astype(np.intp)
        slots, counts = np.unique(np.concatenate(found), return_counts=True)
        return slots[counts >= self.min_band_matches].astype(np.intp)

    def query_signature(
        self,
        sig: np.ndarray,
        *,
        area: Hashable | None = None,
        k: int | None = 5,
        min_similarity: float | None = None,
        exclude: Hashable | None = None,
    ) -> list[tuple[Hashable, float]]:
        """Like `query`, for a signature computed already."""
        if min_similarity is None:
            min_similarity = self.threshold
        if (sig == np.iinfo(np.uint32).max).all():
            return []  # an empty text duplicates nothing
        with self._lock:
            if self._stale:
                self._merge()
            slots = self._candidates(sig)
            if not len(slots):
                return []
            keep = self._alive[slots]
            if area is not None:
                code = self._area_code(area, create=False)
                if code is None:
                    return []
                keep &= self._area[slots] == code
            slots = slots[keep]
            sims = (self._sigs[slots] == sig).mean(axis=1)
            chosen = sims >= min_similarity
            slots, sims = slots[chosen], sims[chosen]
            order = np.lexsort((slots, -sims))  # most similar first; ties by age
            if k is not None:
                order = order[: k + (exclude is not None)]
            found = [(self._ids[slots[i]], float(sims[i])) for i in order.tolist()]
        found = [(doc_id, sim) for doc_id, sim in found if exclude is None or doc_id != exclude]
        return found if k is None else found[:k]

    def query(
        self,
        text: str | None,
        *,
        area: Hashable | None = None,
        k: int | None = 5,
        min_similarity: float | None = None,
        exclude: Hashable | None = None,
    ) -> list[tuple[Hashable, float]]:
        """The indexed messages most similar to `text`: up to `k` (doc_id, similarity) pairs,
        most similar first, each with estimated Jaccard similarity >= `min_similarity` (the
        index's duplicate threshold unless given). With `area`, only messages indexed with that
        area are considered; `exclude` leaves out one doc_id (the message itself)."""
        return self.query_signature(
            self.signature(text), area=area, k=k, min_similarity=min_similarity, exclude=exclude
        )

    def similarity(self, doc_id: Hashable, text: str | None) -> float | None:
        """Estimated Jaccard similarity of `text` to one indexed message (None if absent)."""
        with self._lock:
            slot = self._slot.get(doc_id)
            if slot is None:
                return None
            sig = self.signature(text)
            if (sig == np.iinfo(np.uint32).max).all() or not self._banded[slot]:
                return 0.0
            return float((self._sigs[slot] == sig).mean())

    # -- persistence -------------------------------------------------------------------

    def save(self, path: str | Path) -> None:
        """Write the index to one .npz file (the live messages; the tables are rebuilt on load)."""
        with self._lock:
            live = np.flatnonzero(self._alive[: self._n])
            ids = [self._ids[i] for i in live.tolist()]
            meta = {
                "format": FORMAT_VERSION,
                "num_perm": self.num_perm,
                "bands": self.bands,
                "seed": self.seed,
                "shingle": SHINGLE,
                "threshold": self.threshold,
                "min_band_matches": self.min_band_matches,
                "max_bucket": self.max_bucket,
                "areas": self._area_names,
            }
            with Path(path).open("wb") as f:
                np.savez(
                    f,
                    meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
                    ids=np.frombuffer(json.dumps(ids, ensure_ascii=False).encode(), np.uint8),
                    signatures=self._sigs[live],
                    areas=self._area[live],
                )

    @classmethod
    def load(cls, path: str | Path) -> "DuplicateIndex":
        """Read an index written by `save`; ValueError when the file is not one."""
        try:
            with np.load(Path(path), allow_pickle=False) as data:
                meta = json.loads(data["meta"].tobytes())
                ids = json.loads(data["ids"].tobytes())
                sigs, areas = data["signatures"], data["areas"]
        except (OSError, KeyError, ValueError, EOFError) as e:
            raise ValueError(f"{path}: not a duplicate index ({e})") from e
        if meta.get("format") != FORMAT_VERSION or meta.get("shingle") != SHINGLE:
            raise ValueError(f"{path}: unsupported duplicate index format {meta.get('format')}")
        index = cls(
            num_perm=meta["num_perm"],
            bands=meta["bands"],
            seed=meta["seed"],
            threshold=meta["threshold"],
            min_band_matches=meta["min_band_matches"],
            max_bucket=meta["max_bucket"],
        )
        names = meta["areas"]
        area_of = [None if code < 0 else names[code] for code in areas.tolist()]
        with index._lock:
            index.add_signatures(_ids_from_json(ids), sigs, areas=area_of)
            index.flush()
        return index


def _ids_from_json(ids: Iterable[object]) -> list[Hashable]:
    # JSON has no tuples; ids are ints or strs, which round-trip unchanged.
    return [i if isinstance(i, int | str) else str(i) for i in ids]
