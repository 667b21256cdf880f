"""Near-duplicate cases: a MinHash/LSH index kept in the database.

Each case has one `CaseSignature` (128 MinHash values over character 3-grams, from
`renda.textmine.dedup`) and one `CaseBand` row per LSH band (64). A new case is indexed once,
when it is submitted; looking up its duplicates is one indexed query (`caseband_area_key`)
that also brings the candidates' signatures, whose agreement with the case's signature
estimates their Jaccard similarity. Nothing is rebuilt per case, and every process sees the
index as soon as the transaction commits.

Candidates are cases of the same area (the county, or the case's own region above county
level) that are open, or were submitted in the last `RECENT_DAYS` days, and not merged.
"""

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from renda.cases.models import Case
from renda.org.models import LEVEL_DEPTH, Level, Region
from renda.textmine.dedup import (
    BANDS,
    DEFAULT_THRESHOLD,
    NUM_PERM,
    SEED,
    MinHasher,
    band_keys,
    message_text,
    shingle_ids,
)
from renda.triage.models import CaseBand, CaseSignature, DuplicateCandidate

logger = logging.getLogger("renda.triage")

RECENT_DAYS = 90
RECENT = dt.timedelta(days=RECENT_DAYS)
MAX_CANDIDATES = 5
# At most this many cases sharing a band have their signatures compared.
MAX_EXAMINED = 200
# Below this estimated similarity a match is not shown: the threshold the textmine package
# chose on its labelled evaluation set (edited copies and hard negatives).
THRESHOLD = DEFAULT_THRESHOLD
_EMPTY = np.iinfo(np.uint32).max


@cache
def _hasher() -> MinHasher:
    return MinHasher(NUM_PERM, SEED)


def area_of(region: Region) -> str:
    """The path of the county holding `region` (its own path above county level)."""
    depth = LEVEL_DEPTH[Level.COUNTY]
    if region.depth > depth:
        return region.path[: depth * Region.steplen]
    return region.path


def signature_of(title: str, content: str) -> np.ndarray:
    return _hasher().signature(shingle_ids(message_text(title, content)))


def _keys(signature: np.ndarray) -> list[int]:
    """One int per band: the band number in the high bits, the band's hash in the low 32."""
    if (signature == _EMPTY).all():
        return []  # an empty text (only punctuation, say) duplicates nothing
    keys = band_keys(signature[None, :], BANDS)[0].tolist()
    return [band << 32 | int(key) for band, key in enumerate(keys)]


def _as_array(raw) -> np.ndarray:
    return np.frombuffer(bytes(raw), dtype="<u4")


@dataclass(frozen=True)
class Candidate:
    case: Case
    similarity: float


def candidates_query(
    qs: QuerySet[Case], *, case: Case, signature: np.ndarray, now: dt.datetime | None = None
) -> QuerySet[Case] | None:
    """The cases of `qs` sharing an LSH band with `signature` in `case`'s area, open or
    recent and not merged, each annotated with its `signature_bytes`; None when the text has
    no shingles."""
    keys = _keys(signature)
    if not keys:
        return None
    now = now or timezone.now()
    # The cases sharing the most bands come first: the number of shared bands grows with the
    # similarity, so the best `MAX_EXAMINED` hold the best candidates even when a common
    # phrasing makes thousands share a band or two.
    matched = (
        CaseBand.objects.filter(area=area_of(case.region), key__in=keys)
        .exclude(case_id=case.pk)
        .exclude(case__state=Case.State.MERGED)
        .filter(Q(case__state__in=Case.OPEN_STATES) | Q(case__created_at__gte=now - RECENT))
        .values("case_id")
        .annotate(shared=Count("pk"))
        .order_by("-shared", "-case_id")
        .values("case_id")[:MAX_EXAMINED]
    )
    return qs.filter(pk__in=matched).annotate(signature_bytes=F("duplicate_signature__signature"))


def rank(
    rows: Iterable[Case], signature: np.ndarray, *, k: int = MAX_CANDIDATES
) -> list[Candidate]:
    """The rows at or above THRESHOLD, most similar first (then older first)."""
    found = []
    for row in rows:
        if row.signature_bytes is None:
            continue
        other = _as_array(row.signature_bytes)
        if other.shape != signature.shape:
            continue
        similarity = float((other == signature).mean())
        if similarity >= THRESHOLD:
            found.append(Candidate(row, round(similarity, 3)))
    found.sort(key=lambda c: (-c.similarity, c.case.created_at, c.case.pk))
    return found[:k]


def find_duplicates(qs: QuerySet[Case], case: Case, *, k: int = MAX_CANDIDATES) -> list[Candidate]:
    """Near-duplicates of `case` among `qs` (the reader's scope): one query."""
    signature = signature_of(case.title, case.content)
    query = candidates_query(qs, case=case, signature=signature)
    if query is None:
        return []
    return rank(query, signature, k=k)


# --- writing the index ------------------------------------------------------------------------


def _rows(case: Case, signature: np.ndarray) -> tuple[CaseSignature, list[CaseBand]]:
    area = area_of(case.region)
    sig = CaseSignature(case_id=case.pk, area=area, signature=signature.astype("<u4").tobytes())
    bands = [CaseBand(case_id=case.pk, area=area, key=key) for key in _keys(signature)]
    return sig, bands


@transaction.atomic
def duplicate_index_add(*, case: Case) -> list[Candidate]:
    """Index one case (again, if it was) and record its near-duplicates among the cases
    already indexed; returns them."""
    signature = signature_of(case.title, case.content)
    sig, bands = _rows(case, signature)
    CaseBand.objects.filter(case_id=case.pk).delete()  # derived rows: replaced, not history
    CaseSignature.objects.update_or_create(
        case_id=case.pk, defaults={"area": sig.area, "signature": sig.signature}
    )
    CaseBand.objects.bulk_create(bands)
    query = candidates_query(Case.objects.all(), case=case, signature=signature)
    found = rank(query, signature) if query is not None else []
    DuplicateCandidate.objects.bulk_create(
        [DuplicateCandidate(case_id=case.pk, other=c.case, similarity=c.similarity) for c in found],
        ignore_conflicts=True,
    )
    return found


def duplicate_index_add_committed(case_id: int) -> None:
    """Index a submitted case once its submission has committed (the worker, on
    `case_changed`), with its duplicates recorded. A case whose submission rolled back is not
    found and skipped. A failure is logged, never raised: rebuild_duplicate_index repairs it."""
    try:
        case = Case.objects.select_related("region").filter(pk=case_id).first()
        if case is not None:
            duplicate_index_add(case=case)
    except Exception:
        logger.exception("duplicate index: case %s not indexed", case_id)


def duplicate_index_rebuild(*, batch_size: int = 1000, only_missing: bool = False) -> int:
    """Index every case in batches (bulk signatures, bulk inserts); returns how many. With
    `only_missing`, cases already indexed are left alone."""
    qs = Case.objects.order_by("pk")
    if only_missing:
        qs = qs.filter(duplicate_signature__isnull=True)
    done = 0
    last = 0
    while True:
        batch = list(
            qs.filter(pk__gt=last)
            .select_related("region")
            .only("pk", "title", "content", "region__path", "region__depth")[:batch_size]
        )
        if not batch:
            return done
        _index_batch(batch)
        done += len(batch)
        last = batch[-1].pk


def _index_batch(cases: Sequence[Case]) -> None:
    sigs = _hasher().signatures([shingle_ids(message_text(c.title, c.content)) for c in cases])
    signatures, bands = [], []
    for case, signature in zip(cases, sigs, strict=True):
        sig, case_bands = _rows(case, signature)
        signatures.append(sig)
        bands += case_bands
    ids = [c.pk for c in cases]
    with transaction.atomic():
        CaseBand.objects.filter(case_id__in=ids).delete()
        CaseSignature.objects.filter(case_id__in=ids).delete()
        CaseSignature.objects.bulk_create(signatures)
        CaseBand.objects.bulk_create(bands, batch_size=5000)
