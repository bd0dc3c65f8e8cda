"""The opinion math on matrices made here: planted camps found, consensus by hand, determinism."""

from __future__ import annotations

import numpy as np
import pytest

from topics.opinion import (
    _group_counts,
    consensus,
    counted_rows,
    fill_missing,
    opinion_compute,
    vote_matrix,
)

NAN = np.nan


def two_camps(seed: int, *, people: int = 80, statements: int = 24, turnout: float = 0.7):
    """Camp A agrees with the first half of the statements and disagrees with the second; camp B
    the opposite; the last two statements everyone agrees with. Some passes, missing votes."""
    rng = np.random.default_rng(seed)
    camp = rng.permutation(np.arange(people) % 2)
    votes = []
    for p in range(people):
        for s in range(statements):
            if rng.random() > turnout:
                continue
            if s >= statements - 2:
                value = 1
            else:
                side = 1 if s < (statements - 2) // 2 else -1
                value = side if camp[p] == 0 else -side
            if rng.random() < 0.1:
                value = 0
            votes.append((f"participant-{p:04d}", 100 + s, value))
    return votes, {f"participant-{p:04d}": int(camp[p]) for p in range(people)}, list(range(100, 100 + statements))


def compute(votes, statement_ids):
    participants, statements, values = zip(*votes, strict=True)
    return opinion_compute(vote_matrix(participants=participants, statements=statements, values=values, statement_ids=statement_ids))


def partition(keys, labels) -> set[frozenset]:
    groups: dict[int, set] = {}
    for key, label in zip(keys, labels, strict=True):
        groups.setdefault(int(label), set()).add(str(key))
    return {frozenset(members) for members in groups.values()}


@pytest.mark.parametrize("seed", range(4))
def test_planted_two_camps_are_the_groups_found_on_every_run(seed):
    votes, planted, statement_ids = two_camps(seed)
    expected = partition(planted.keys(), planted.values())
    for _ in range(3):
        result = compute(votes, statement_ids)
        assert result.participants == len(planted)
        assert len(result.group_sizes) == 2
        assert partition(result.participant_keys, result.groups) == expected
        # The two statements everyone agrees with are the common ground, and only they.
        assert result.common_ground and set(result.common_ground) == set(statement_ids[-2:])
        # Each camp is represented by statements of its own side.
        for group, reps in enumerate(result.representative):
            assert reps, f"group {group} has no representative statement"


def test_same_votes_in_any_order_give_the_same_map():
    votes, _, statement_ids = two_camps(42)
    first = compute(votes, statement_ids)
    shuffled = list(votes)
    np.random.default_rng(7).shuffle(shuffled)
    second = compute(shuffled, list(reversed(statement_ids)))
    assert list(first.participant_keys) == list(second.participant_keys)
    assert np.array_equal(first.groups, second.groups)
    assert np.allclose(first.positions, second.positions)
    assert first.consensus == second.consensus and first.representative == second.representative
    assert first.common_ground == second.common_ground


def test_consensus_by_hand_on_a_small_matrix():
    values = np.array([
        [1, 1, -1],
        [1, 0, NAN],
        [1, -1, 1],
        [NAN, -1, 1],
    ])
    groups = np.array([0, 0, 1, 1])
    agree, disagree, seen = _group_counts(values, groups, 2)
    assert agree.tolist() == [[2, 1, 0], [1, 0, 2]]
    assert disagree.tolist() == [[0, 0, 1], [0, 2, 0]]
    assert seen.tolist() == [[2, 2, 1], [1, 2, 2]]
    # Group 0: 3/4, 2/4, 1/3; group 1: 2/3, 1/4, 3/4 — multiplied statement by statement.
    assert consensus(agree, seen) == pytest.approx([3 / 4 * 2 / 3, 2 / 4 * 1 / 4, 1 / 3 * 3 / 4])


def test_missing_votes_take_the_statement_mean_and_nobody_s_statement_zero():
    values = np.array([[1, NAN, NAN], [-1, 1, NAN], [0, 1, NAN], [NAN, 0, NAN]])
    filled = fill_missing(values)
    assert filled[3, 0] == pytest.approx(0.0) and filled[0, 1] == pytest.approx(2 / 3)
    assert np.all(filled[:, 2] == 0)


def test_a_participant_counts_from_min_7_statements():
    eight = np.full((3, 8), NAN)
    eight[0, :7] = 1
    eight[1, :6] = 1
    eight[2, :] = -1
    assert counted_rows(eight).tolist() == [True, False, True]
    three = np.array([[1, 1, 1], [1, 1, NAN]])
    assert counted_rows(three).tolist() == [True, False]


def test_votes_on_statements_not_listed_are_left_out_and_few_voters_form_one_group():
    matrix = vote_matrix(participants=["a", "a", "b"], statements=[1, 99, 1], values=[1, -1, -1], statement_ids=[1])
    assert matrix.values.shape == (2, 1) and matrix.statement_ids.tolist() == [1]
    result = opinion_compute(matrix)
    assert result.participants == 2 and len(result.group_sizes) == 2  # two distinct points: two groups of one
    empty = opinion_compute(vote_matrix(participants=[], statements=[], values=[], statement_ids=[1, 2]))
    assert empty.participants == 0 and empty.group_sizes == [] and empty.consensus == {}
