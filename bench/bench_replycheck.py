"""Reply check on the competition's 2,816 official replies (../shared/data/govmsg/
messages_replies.csv): how often each flag is raised, how well the relevance score tells a
reply from a reply to another message, time per reply, and 20 flagged and 20 passed replies
(shortened) for a reader to judge.

The relevance threshold was set so that about 95% of mismatched pairs (each message given
another message's reply, a fixed shuffle) fall below it; this bench shows both rates.
"""

import csv
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "govmsg" / "messages_replies.csv"
sys.path.insert(0, str(REPO))

EXAMPLES = 20
SHOWN_CHARS = 90


def _read() -> list[tuple[str, str]]:
    with DATA.open(encoding="utf-8", newline="") as f:
        return [
            (f"{row['留言主题']}\n{row['留言详情']}", row["答复意见"] or "")
            for row in csv.DictReader(f)
        ]


def _short(text: str, limit: int = SHOWN_CHARS) -> str:
    from renda.textmine.normalize import normalize

    text = normalize(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def main() -> None:
    if not DATA.is_file():
        print(f"bench_replycheck: skipped, no data in {DATA}")
        return
    from renda.textmine.replycheck import (
        LABELS,
        MIN_CHARS,
        MIN_RELEVANCE,
        MIN_SPECIFIC_KINDS,
        check_reply,
    )

    pairs = _read()
    check_reply(message="预热", reply="预热")
    results, times, cpu = [], [], []
    for message, reply in pairs:
        start, start_cpu = time.perf_counter(), time.thread_time()
        results.append(check_reply(message=message, reply=reply))
        cpu.append((time.thread_time() - start_cpu) * 1000)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    cpu.sort()
    n = len(results)

    print(f"reply check: {n} replies from messages_replies.csv")
    print(
        f"  thresholds: content < {MIN_CHARS} chars, relevance < {MIN_RELEVANCE}, "
        f"fewer than {MIN_SPECIFIC_KINDS} of measure / owner / date"
    )
    for code, label in LABELS.items():
        k = sum(code in r.codes for r in results)
        print(f"  {code:<14} {k:5d}  {k / n:6.1%}  {label}")
    flagged = sum(not r.ok for r in results)
    print(f"  any flag       {flagged:5d}  {flagged / n:6.1%}")
    print(f"  passed         {n - flagged:5d}  {(n - flagged) / n:6.1%}")

    # Relevance against mismatched replies, among replies long enough to judge.
    rng = random.Random(0)
    judged = [i for i, r in enumerate(results) if "too_short" not in r.codes]
    other = judged[:]
    rng.shuffle(other)
    mismatched = [
        check_reply(message=pairs[i][0], reply=pairs[j][1]).relevance
        for i, j in zip(judged, other, strict=True)
        if i != j
    ]
    true_low = sum(results[i].relevance < MIN_RELEVANCE for i in judged)
    caught = sum(score < MIN_RELEVANCE for score in mismatched)
    print(
        f"  relevance: {true_low / len(judged):.1%} of real replies below {MIN_RELEVANCE}, "
        f"{caught / len(mismatched):.1%} of {len(mismatched)} mismatched replies below it"
    )
    print(
        f"  time per reply: median {statistics.median(times):.2f} ms, "
        f"p95 {times[int(0.95 * n)]:.2f} ms (wall); CPU median "
        f"{statistics.median(cpu):.2f} ms, p95 {cpu[int(0.95 * n)]:.2f} ms"
    )

    order = list(range(n))
    random.Random(1).shuffle(order)
    shown_flagged = [i for i in order if not results[i].ok][:EXAMPLES]
    shown_passed = [i for i in order if results[i].ok][:EXAMPLES]
    for title, shown in (("flagged", shown_flagged), ("passed", shown_passed)):
        print(f"{EXAMPLES} {title} (random, seed 1):")
        for i in shown:
            r = results[i]
            codes = ",".join(r.codes) or "ok"
            print(
                f"  [{codes}] relevance {r.relevance:.3f}, {r.content_chars} chars, "
                f"measures {'/'.join(r.measures[:3]) or '-'}, "
                f"owners {'/'.join(r.owners[:2]) or '-'}, dates {'/'.join(r.dates[:2]) or '-'}"
            )
            print(f"    留言: {_short(pairs[i][0].split(chr(10), 1)[0], 60)}")
            print(f"    答复: {_short(pairs[i][1])}")


if __name__ == "__main__":
    main()
