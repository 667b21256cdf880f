"""Near-duplicate detection (MinHash/LSH, renda.textmine.dedup) on the competition's
messages_hot.csv in ../shared/data/govmsg.

1. Precision and recall of "is a duplicate" on the evaluation set built by
   renda.textmine.dedup_eval (edited copies, hard and random negatives); the threshold is
   chosen on the dev half and scored on the test half.
2. An index of 1,000,000 messages: the real messages plus synthetic distinct ones recombined
   from the corpus' sentences (fixed seed). Build time (signatures in two processes), memory,
   lookup latency p50/p95 of one query at a time (one thread), with and without an area, the
   recall of the edited copies there, save/load time and file size.

DEDUP_BENCH_DOCS sets the index size (default 1,000,000).
"""

import os

# One core per process, as in production triage: set before numpy loads its BLAS.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import multiprocessing  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "govmsg"
sys.path.insert(0, str(REPO))

DOCS = int(os.environ.get("DEDUP_BENCH_DOCS", "1000000"))
CHUNK = 20000
SEED = 0
AREAS = [f"A{i}区" for i in range(1, 10)] + [f"K{i}县" for i in range(1, 10)]

_recombiner = None


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _worker_init(path: str) -> None:
    from renda.textmine.dedup_eval import Recombiner, read_messages

    global _recombiner
    _recombiner = Recombiner(read_messages(Path(path)))


def _synthetic_signatures(job: tuple[int, int]) -> tuple[int, np.ndarray]:
    from renda.textmine.dedup import MinHasher, shingle_ids

    start, count = job
    texts = _recombiner.texts(start, count, seed=SEED)
    return start, MinHasher().signatures([shingle_ids(t) for t in texts])


def _pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def _evaluation(messages) -> dict:
    from renda.textmine.dedup import DEFAULT_THRESHOLD
    from renda.textmine.dedup_eval import evaluate, exact_scores

    started = time.perf_counter()
    result = evaluate(messages, seed=SEED, sources=1500)
    seconds = time.perf_counter() - started
    pairs = result["pairs_list"]
    exact = exact_scores(pairs, messages)
    print(f"evaluation set: {result['messages']} messages (de-duplicated), {result['pairs']} pairs")
    kinds = {k: sum(p.kind == k for p in pairs) for k in ("edit", "hard", "random")}
    print(
        f"  pairs: {kinds['edit']} edited copies, {kinds['hard']} hard negatives "
        f"(same place, other problem), {kinds['random']} random negatives; built and scored "
        f"in {seconds:.1f} s"
    )
    for name, select in (
        ("moderate copies", lambda p: p.strength == "moderate"),
        ("heavy copies", lambda p: p.strength == "heavy"),
        ("hard negatives", lambda p: p.kind == "hard"),
        ("random negatives", lambda p: p.kind == "random"),
    ):
        v = exact[[select(p) for p in pairs]]
        q = np.percentile(v, [0, 1, 5, 50, 95, 99, 100])
        print(
            f"  exact Jaccard, {name:16s} min {q[0]:.3f}  p1 {q[1]:.3f}  p5 {q[2]:.3f}  "
            f"median {q[3]:.3f}  p95 {q[4]:.3f}  p99 {q[5]:.3f}  max {q[6]:.3f}"
        )
    t = result["threshold"]
    note = (
        "" if abs(t - DEFAULT_THRESHOLD) < 1e-9 else f" (DEFAULT_THRESHOLD is {DEFAULT_THRESHOLD})"
    )
    print(f"  threshold chosen on dev (best F1, middle of the best run): {t:.2f}{note}")
    for split in ("dev", "test"):
        r = result[split]
        print(
            f"  {split:4s} precision {r['precision']:.4f}  recall {r['recall']:.4f}  "
            f"F1 {r['f1']:.4f}  (tp {r['tp']}, fp {r['fp']}, fn {r['fn']}, {r['n']} pairs)"
        )
    by_kind = result["test_by_kind"]
    print(
        "  test flagged: "
        + ", ".join(f"{k} {v['flagged']}/{v['pairs']}" for k, v in by_kind.items())
    )
    print(
        "  test recall by strength: "
        + ", ".join(f"{k} {v:.4f}" for k, v in result["test_recall_by_strength"].items())
    )
    print(
        "  test recall by operation: "
        + ", ".join(f"{k} {v:.4f}" for k, v in result["test_recall_by_operation"].items())
    )
    rate = result["test_positive_lsh_candidate_rate"]
    print(f"  test edited copies made LSH candidates: {rate:.4f}")
    return result


def _large_index(messages, evaluation: dict) -> None:
    from renda.textmine.dedup import DuplicateIndex, MinHasher, shingle_ids
    from renda.textmine.dedup_eval import places

    n_real = len(messages)
    n_synth = max(0, DOCS - n_real)
    rss_before = _rss_mb()
    index = DuplicateIndex()
    threshold = evaluation["threshold"]
    index.threshold = threshold

    def area_of(m) -> str:
        districts = sorted(places(m)[1])
        return districts[0] if districts else "A市"

    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_before = own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
    started = time.perf_counter()
    hasher = MinHasher()
    index.add_signatures(
        [m.id for m in messages],
        hasher.signatures([shingle_ids(m.text) for m in messages]),
        areas=[area_of(m) for m in messages],
    )
    jobs = [(s, min(CHUNK, n_synth - s)) for s in range(0, n_synth, CHUNK)]
    rng = np.random.default_rng(SEED)
    sys.stdout.flush()  # a forked worker must not inherit unwritten output
    with multiprocessing.get_context("fork").Pool(
        2, initializer=_worker_init, initargs=(str(DATA / "messages_hot.csv"),)
    ) as pool:
        for start, sigs in pool.imap(_synthetic_signatures, jobs):
            ids = [f"s{start + i}" for i in range(len(sigs))]
            areas = [AREAS[a] for a in rng.integers(0, len(AREAS), len(sigs))]
            index.add_signatures(ids, sigs, areas=areas)
    signing = time.perf_counter() - started
    c0 = time.process_time()
    index.flush()
    sort_cpu = time.process_time() - c0
    build = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    build_cpu = own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime - cpu_before
    print(
        f"index of {len(index):,} messages ({n_real:,} real + {n_synth:,} synthetic): built in "
        f"{build:.0f} s ({signing:.0f} s shingling and MinHash in 2 processes, "
        f"{build - signing:.1f} s sorting the {index.bands} LSH bands); CPU time "
        f"{build_cpu:.0f} s in all, {sort_cpu:.1f} s of it sorting"
    )
    print(
        f"  memory: index arrays {index.nbytes() / 2**20:.0f} MiB "
        f"({index.nbytes() / len(index):.0f} bytes per message); process resident "
        f"{_rss_mb():.0f} MiB now (+{_rss_mb() - rss_before:.0f} MiB for the index and its "
        f"id maps), peak {_peak_rss_mb():.0f} MiB"
    )

    pairs = evaluation["pairs_list"]
    edits = [p for p in pairs if p.kind == "edit" and p.split == "test"]
    rand = np.random.default_rng(SEED + 1)
    real = [messages[i] for i in rand.choice(n_real, 500, replace=False)]
    from renda.textmine.dedup_eval import Recombiner

    fresh = Recombiner(messages).texts(10**9, 500, seed=SEED + 1)
    queries = [(p.query_text, p.target) for p in edits] + [(m.text, m.id) for m in real]
    queries += [(t, None) for t in fresh]
    # Warm up (first lookups pay for OpenCC's dictionaries and numpy's first calls).
    for text, _ in queries[:20]:
        index.query(text)
    kinds = ["edit"] * len(edits) + ["real"] * len(real) + ["new"] * len(fresh)
    for label, use_area in (("no area", False), ("same area", True)):
        times, cpu, extra = [], [], []
        found = {"edit": 0, "real": 0}
        for (text, target), kind in zip(queries, kinds, strict=True):
            area = None
            if use_area:
                area = (
                    AREAS[0]
                    if target is None
                    else index._area_names[index._area[index._slot[target]]]
                )
            t0, c0 = time.perf_counter(), time.process_time()
            hits = index.query(text, area=area, k=5)
            cpu.append((time.process_time() - c0) * 1000)
            times.append((time.perf_counter() - t0) * 1000)
            ids = [h[0] for h in hits]
            if target is not None:
                found[kind] += target in ids
            extra.append(sum(1 for i in ids if i != target))
        print(
            f"  lookup ({label}, k=5, threshold {threshold:.2f}) over {len(queries)} queries "
            f"({len(edits)} edited copies, {len(real)} indexed messages, {len(fresh)} new "
            f"synthetic): wall p50 {_pct(times, 50):.2f} ms, p95 {_pct(times, 95):.2f} ms, "
            f"max {max(times):.1f} ms; CPU time p50 {_pct(cpu, 50):.2f} ms, "
            f"p95 {_pct(cpu, 95):.2f} ms"
        )
        print(
            f"    source found: edited copies {found['edit']}/{len(edits)}, indexed messages "
            f"{found['real']}/{len(real)}; other hits >= threshold per query: mean "
            f"{np.mean(extra):.3f}, queries with any {sum(1 for e in extra if e)}"
        )
    counts = [len(index._candidates(index.signature(t))) for t, _ in queries[:300]]
    print(
        f"  LSH candidates compared per lookup: median {int(np.median(counts))}, "
        f"p95 {int(np.percentile(counts, 95))}, max {max(counts)}"
    )

    # A single add and remove at full size (incremental, no rebuild).
    t0, c0 = time.perf_counter(), time.process_time()
    for i, t in enumerate(fresh[:200]):
        index.add(f"new{i}", t, area=AREAS[i % len(AREAS)])
    add_ms = (time.perf_counter() - t0) * 1000 / 200
    add_cpu = (time.process_time() - c0) * 1000 / 200
    t0 = time.perf_counter()
    for i in range(200):
        index.remove(f"new{i}")
    remove_ms = (time.perf_counter() - t0) * 1000 / 200
    print(
        f"  incremental: add {add_ms:.2f} ms wall ({add_cpu:.2f} ms CPU), remove "
        f"{remove_ms:.3f} ms per message"
    )

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dedup.npz"
        t0 = time.perf_counter()
        index.save(path)
        saved = time.perf_counter() - t0
        size = path.stat().st_size
        del index
        t0, c0 = time.perf_counter(), time.process_time()
        loaded = DuplicateIndex.load(path)
        load_s = time.perf_counter() - t0
        load_cpu = time.process_time() - c0
    print(
        f"  save {saved:.1f} s, load {load_s:.1f} s ({load_cpu:.1f} s CPU; the table is "
        f"re-sorted on load), file "
        f"{size / 2**20:.0f} MiB for {len(loaded):,} messages"
    )


def main() -> None:
    path = DATA / "messages_hot.csv"
    if not path.is_file():
        print(f"skipped: {path} not found")
        return
    from renda.textmine.dedup_eval import read_messages

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} CPUs, load average {load} (wall times include waiting)")
    messages = read_messages(path)
    evaluation = _evaluation(messages)
    _large_index(messages, evaluation)


if __name__ == "__main__":
    main()
