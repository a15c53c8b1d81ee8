"""What the optional sentence embeddings cost at scale (docs/relevance.md): time to embed
`bench.corpus` texts (a sample, extrapolated to 100 000), the process's memory with the model,
and a vector scan's latency over 100 000 normalised vectors.

    HF_HUB_OFFLINE=1 python -m bench.embedding_cost [--sample 2000]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from datetime import UTC, datetime

from bench.corpus import Corpus
from marketplace.matching import embeddings


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    import numpy as np

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=2000)
    args = parser.parse_args()
    corpus = Corpus(7, datetime(2026, 12, 1, tzinfo=UTC))
    texts = []
    for i in range(args.sample):
        row = corpus.listing(i).rows["listings"][0]
        texts.append(" ".join(str(row.get(k) or "") for k in ("title", "summary", "description")))
    before = rss_mb()
    started = time.perf_counter()
    embeddings.encode(texts[:1])
    loaded = time.perf_counter() - started
    with_model = rss_mb()
    started = time.perf_counter()
    vectors = embeddings.encode(texts)
    seconds = time.perf_counter() - started
    after = rss_mb()
    words = statistics.mean(len(t.split()) for t in texts)
    print(f"model load: {loaded:.1f} s; RSS {before:.0f} MB before, {with_model:.0f} MB with the "
          f"model, {after:.0f} MB after embedding")  # fmt: skip
    print(f"embedded {len(texts)} texts (mean {words:.0f} words) in {seconds:.1f} s = "
          f"{len(texts) / seconds:.0f}/s → 100 000 in ~{100_000 / (len(texts) / seconds) / 60:.0f} min")  # fmt: skip
    rng = np.random.default_rng(7)
    big = np.vstack([vectors] * (100_000 // len(vectors) + 1))[:100_000]
    big = big + rng.normal(0, 0.01, big.shape).astype(np.float32)
    big /= np.linalg.norm(big, axis=1, keepdims=True)
    ids = [str(i) for i in range(len(big))]
    m = embeddings.Matrix(ids, big, {i: n for n, i in enumerate(ids)}, ())
    print(f"100 000 vectors: {big.nbytes / 1e6:.0f} MB as float32")
    laps = []
    for q in vectors[:50]:
        started = time.perf_counter()
        m.nearest(q, 30, 0.2)
        laps.append((time.perf_counter() - started) * 1000)
    laps.sort()
    print(f"scan of 100 000 (top 30): median {statistics.median(laps):.1f} ms, "
          f"p95 {laps[int(len(laps) * 0.95) - 1]:.1f} ms")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
