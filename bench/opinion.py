"""The opinion map's recompute at scale: `make bench-opinion` (not a test).

10,000 participants × 1,000 statements, sparse votes (each participant votes on 30 statements
drawn at random; two camps plus noise), through the same pure functions the worker calls
(topics.opinion). Baseline, measured in the same run: building the vote matrix and filling the
missing votes with numpy alone. Prints each stage and writes bench/results/opinion.md.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results" / "opinion.md"
PARTICIPANTS, STATEMENTS, PER_PARTICIPANT = 10_000, 1_000, 30
TARGET_SECONDS = 60


def votes(seed: int = 0):
    rng = np.random.default_rng(seed)
    people = np.repeat(np.arange(PARTICIPANTS), PER_PARTICIPANT)
    statements = np.concatenate([rng.choice(STATEMENTS, PER_PARTICIPANT, replace=False) for _ in range(PARTICIPANTS)]) + 1
    camp = np.where(people % 3 == 0, 1, -1)
    side = np.where(statements % 2 == 0, 1, -1)
    values = camp * side
    noise = rng.random(len(values))
    values = np.where(noise < 0.15, 0, np.where(noise < 0.25, -values, values))
    keys = np.array([f"{p:064x}" for p in range(PARTICIPANTS)])[people]  # like the stored keyed hashes
    return keys, statements, values


def main() -> None:
    from topics.opinion import (
        _group_counts,
        cluster,
        consensus,
        counted_rows,
        fill_missing,
        opinion_compute,
        project,
        vote_matrix,
    )

    keys, statements, values = votes()
    ids = range(1, STATEMENTS + 1)
    stages = []

    def timed(name, call):
        started = time.perf_counter()
        out = call()
        stages.append((name, time.perf_counter() - started))
        return out

    matrix = timed("baseline: vote matrix (numpy)", lambda: vote_matrix(participants=keys, statements=statements, values=values, statement_ids=ids))
    filled = timed("baseline: fill missing votes (numpy)", lambda: fill_missing(matrix.values[counted_rows(matrix.values)]))
    positions = timed("PCA to 2-D", lambda: project(filled))
    groups = timed("two-level k-means + silhouette", lambda: cluster(positions))
    timed("consensus", lambda: consensus(*(lambda a, d, s: (a, s))(*_group_counts(matrix.values[counted_rows(matrix.values)], groups, int(groups.max()) + 1))))
    started = time.perf_counter()
    result = opinion_compute(vote_matrix(participants=keys, statements=statements, values=values, statement_ids=ids))
    total = time.perf_counter() - started
    baseline = stages[0][1] + stages[1][1]
    lines = [
        f"# Opinion map recompute: {PARTICIPANTS:,} participants × {STATEMENTS:,} statements, {len(values):,} votes",
        "",
        f"Machine: {os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.1f} (1 min) when it ended; 8 engineers share it.",
        "",
        "| stage | seconds |",
        "| --- | ---: |",
        *[f"| {name} | {seconds:.2f} |" for name, seconds in stages],
        f"| **whole recompute (`opinion_compute`, matrix included)** | **{total:.2f}** |",
        "",
        f"Whole recompute = {total / baseline:.1f} × the numpy baseline ({baseline:.2f} s); target under {TARGET_SECONDS} s: "
        f"{'met' if total < TARGET_SECONDS else 'MISSED'}.",
        f"Placed {result.participants:,} participants in {len(result.group_sizes)} groups {result.group_sizes}.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(text)


if __name__ == "__main__":
    main()
