"""The opinion math: pure functions over a participant × statement vote matrix (numpy, scikit-learn).

Votes: agree +1, disagree −1, pass 0; a vote not given is filled with the statement's mean.
Only participants who voted on at least min(7, statements) statements are placed. PCA projects
them to 2 dimensions; k-means groups them in two levels (up to 100 base clusters, then the base
clusters into k = 2..min(5, 2 + base/12) groups, k chosen by silhouette score).

Unlike Pol.is there is no warm start and no smoothing across runs: every input is sorted first
and every estimator has a fixed seed, so the same votes give the same groups, in whatever order
they arrive. See /topics/method/ for the same, written for residents.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score
from threadpoolctl import threadpool_limits

AGREE, PASS, DISAGREE = 1, 0, -1
SEED = 0
MIN_VOTES = 7
MAX_BASE_CLUSTERS = 100
MAX_GROUPS = 5
REPRESENTATIVE_PER_GROUP = 5


@dataclass(frozen=True)
class VoteMatrix:
    participants: np.ndarray  # sorted participant keys, one per row
    statement_ids: np.ndarray  # sorted statement ids, one per column
    values: np.ndarray  # float64: +1, 0, −1, NaN where no vote was given


@dataclass
class OpinionResult:
    statement_ids: list[int]
    participants: int  # placed on the map (voted enough)
    voters: int  # voted at all
    positions: np.ndarray  # (participants, 2), rows in the order of `participant_keys`
    groups: np.ndarray  # (participants,) group number, 0 = the largest group
    participant_keys: np.ndarray  # never stored: positions are kept by an anonymous index only
    group_sizes: list[int] = field(default_factory=list)
    consensus: dict[int, float] = field(default_factory=dict)
    common_ground: list[int] = field(default_factory=list)  # statements every group agrees with
    representative: list[list[dict]] = field(default_factory=list)  # per group
    group_votes: list[dict[int, tuple[int, int, int]]] = field(default_factory=list)  # per group: id → (agree, disagree, seen)


def vote_matrix(*, participants, statements, values, statement_ids) -> VoteMatrix:
    """The matrix from parallel sequences of votes (one vote per participant and statement).

    Votes on statements outside `statement_ids` (hidden, pending) are left out. Rows and columns
    are sorted, so the order the votes come in does not matter.
    """
    statement_ids = np.unique(np.asarray(list(statement_ids), dtype=np.int64))
    participants = np.asarray(participants)
    statements = np.asarray(statements, dtype=np.int64)
    values = np.asarray(values, dtype=np.float64)
    keep = np.isin(statements, statement_ids)
    participants, statements, values = participants[keep], statements[keep], values[keep]
    keys, rows = np.unique(participants, return_inverse=True)
    columns = np.searchsorted(statement_ids, statements)
    matrix = np.full((len(keys), len(statement_ids)), np.nan)
    matrix[rows, columns] = values
    return VoteMatrix(participants=keys, statement_ids=statement_ids, values=matrix)


def counted_rows(values: np.ndarray) -> np.ndarray:
    """Who is placed: voted on at least min(7, statements) statements."""
    needed = min(MIN_VOTES, values.shape[1])
    return (~np.isnan(values)).sum(axis=1) >= max(needed, 1)


def fill_missing(values: np.ndarray) -> np.ndarray:
    """Votes not given take the statement's mean vote (0 for a statement nobody voted on)."""
    seen = ~np.isnan(values)
    counts = seen.sum(axis=0)
    sums = np.where(seen, values, 0.0).sum(axis=0)
    means = np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)
    return np.where(seen, values, means)


def project(filled: np.ndarray) -> np.ndarray:
    """PCA to 2 dimensions (fewer when the matrix is too small, padded with zeros)."""
    n, m = filled.shape
    positions = np.zeros((n, 2))
    components = min(2, n - 1, m)
    if components < 1 or np.allclose(filled, filled[0]):
        return positions
    # The covariance route is exact (no random start) and fast when participants outnumber statements.
    solver = "covariance_eigh" if n >= m else "full"
    positions[:, :components] = PCA(n_components=components, svd_solver=solver).fit_transform(filled)
    return positions


def cluster(positions: np.ndarray) -> np.ndarray:
    """Two-level k-means; returns a group number per row, groups numbered by size (largest 0)."""
    # One OpenMP thread: k-means on 2-D points gains nothing from more, and busy-waiting threads
    # slow a shared machine several times over.
    with threadpool_limits(limits=1, user_api="openmp"):
        return _cluster(positions)


def _cluster(positions: np.ndarray) -> np.ndarray:
    n = len(positions)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    distinct = len(np.unique(positions.round(9), axis=0))
    n_base = min(MAX_BASE_CLUSTERS, distinct)
    if n_base < 2:
        return np.zeros(n, dtype=np.int64)
    base = KMeans(n_clusters=n_base, n_init=3, random_state=SEED).fit(positions)
    centers = base.cluster_centers_
    weights = np.bincount(base.labels_, minlength=n_base).astype(np.float64)
    if n_base == 2:
        group_of_base = np.array([0, 1])
    else:
        best_score, group_of_base = -2.0, None
        for k in range(2, min(MAX_GROUPS, 2 + n_base // 12, n_base - 1) + 1):
            labels = KMeans(n_clusters=k, n_init=10, random_state=SEED).fit(centers, sample_weight=weights).labels_
            if len(np.unique(labels)) < 2:
                continue
            score = silhouette_score(centers, labels)
            if score > best_score + 1e-12:  # a tie keeps the smaller k
                best_score, group_of_base = score, labels
        if group_of_base is None:
            group_of_base = np.zeros(n_base, dtype=np.int64)
    return _canonical(group_of_base[base.labels_], positions)


def _canonical(labels: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Number groups by size (largest first), then by their centre: labels k-means picked mean nothing."""
    found = np.unique(labels)
    keyed = sorted(found, key=lambda g: (-int((labels == g).sum()), *positions[labels == g].mean(axis=0).round(9)))
    mapping = {int(g): number for number, g in enumerate(keyed)}
    return np.array([mapping[int(g)] for g in labels], dtype=np.int64)


def _group_counts(values: np.ndarray, groups: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per group and statement: agree, disagree and seen (passes are seen) counts of the real votes."""
    onehot = np.zeros((len(groups), n_groups))
    onehot[np.arange(len(groups)), groups] = 1.0
    agree = onehot.T @ (values == AGREE)
    disagree = onehot.T @ (values == DISAGREE)
    seen = onehot.T @ ~np.isnan(values)
    return agree, disagree, seen


def consensus(agree: np.ndarray, seen: np.ndarray) -> np.ndarray:
    """Group-aware consensus of each statement: the product over groups of (agree + 1) / (seen + 2)."""
    return np.prod((agree + 1.0) / (seen + 2.0), axis=0)


def representative(agree: np.ndarray, disagree: np.ndarray, seen: np.ndarray, statement_ids: np.ndarray) -> list[list[dict]]:
    """Per group, the statements that set it apart: voted (agree or disagree) by most of the group,
    and more often than by everyone else; best first (ratio × probability), ties by statement id."""
    k = agree.shape[0]
    if k < 2:
        return [[] for _ in range(k)]
    out = []
    for g in range(k):
        others = [h for h in range(k) if h != g]
        candidates = []
        for direction, counts in (("agree", agree), ("disagree", disagree)):
            p_in = (counts[g] + 1.0) / (seen[g] + 2.0)
            p_out = (counts[others].sum(axis=0) + 1.0) / (seen[others].sum(axis=0) + 2.0)
            ratio = p_in / p_out
            for j in np.flatnonzero((p_in > 0.5) & (ratio > 1.0)):
                candidates.append((-(ratio[j] * p_in[j]), int(statement_ids[j]), direction, float(p_in[j]), float(ratio[j])))
        candidates.sort()
        chosen, used = [], set()
        for _score, sid, direction, p_in, ratio in candidates:
            if sid in used:
                continue
            used.add(sid)
            chosen.append({"statement": sid, "direction": direction, "probability": round(p_in, 4), "ratio": round(ratio, 4)})
            if len(chosen) == REPRESENTATIVE_PER_GROUP:
                break
        out.append(chosen)
    return out


def opinion_compute(matrix: VoteMatrix) -> OpinionResult:
    """Everything the page shows, from the votes alone."""
    counted = counted_rows(matrix.values) if matrix.values.size else np.zeros(len(matrix.participants), dtype=bool)
    values = matrix.values[counted]
    keys = matrix.participants[counted]
    positions = project(fill_missing(values)) if len(values) else np.zeros((0, 2))
    groups = cluster(positions)
    n_groups = int(groups.max()) + 1 if len(groups) else 0
    ids = [int(s) for s in matrix.statement_ids]
    result = OpinionResult(
        statement_ids=ids, participants=int(counted.sum()), voters=len(matrix.participants),
        positions=positions, groups=groups, participant_keys=keys,
    )
    if n_groups == 0:
        return result
    agree, disagree, seen = _group_counts(values, groups, n_groups)
    scores = consensus(agree, seen)
    result.group_sizes = [int((groups == g).sum()) for g in range(n_groups)]
    result.consensus = {sid: round(float(score), 6) for sid, score in zip(ids, scores, strict=True)}
    agreed_by_all = np.all((agree + 1.0) / (seen + 2.0) > 0.5, axis=0) if n_groups >= 2 else np.zeros(len(ids), dtype=bool)
    result.common_ground = sorted((sid for sid, ok in zip(ids, agreed_by_all, strict=True) if ok), key=lambda sid: (-result.consensus[sid], sid))
    result.representative = representative(agree, disagree, seen, matrix.statement_ids)
    result.group_votes = [
        {sid: (int(agree[g, j]), int(disagree[g, j]), int(seen[g, j])) for j, sid in enumerate(ids)} for g in range(n_groups)
    ]
    return result
