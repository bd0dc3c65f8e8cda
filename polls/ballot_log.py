"""The published ballot log: one JSON line per ballot, chained by SHA-256.

    {"seq": 1, "choice": 2, "receipt": "K7M2-QX9P", "prev": "000…0", "hash": "…"}

hash = SHA-256(prev + canonical JSON of {"seq", "choice", "receipt"}), canonical JSON being
sorted keys, no spaces, UTF-8. The first line's prev is 64 zeros; each next line's prev is the
hash before it; the last hash is the chain head shown on the poll's page. `choice` is the chosen
choice's number, or the sorted list of numbers in a poll that allows several.
Pure functions: the command that checks a log (`verify_ballots`) and the publication share them.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass

GENESIS = "0" * 64
FIELDS = {"seq", "choice", "receipt", "prev", "hash"}


class LogError(ValueError):
    """A log that does not verify; the message names the line."""


def canonical(data: dict) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def line_hash(*, prev: str, seq: int, choice, receipt: str) -> str:
    return hashlib.sha256((prev + canonical({"seq": seq, "choice": choice, "receipt": receipt})).encode()).hexdigest()


def log_build(ballots: list[tuple[object, str]]) -> list[dict]:
    """Lines for (choice, receipt) pairs, in the order given."""
    lines, prev = [], GENESIS
    for seq, (choice, receipt) in enumerate(ballots, start=1):
        digest = line_hash(prev=prev, seq=seq, choice=choice, receipt=receipt)
        lines.append({"seq": seq, "choice": choice, "receipt": receipt, "prev": prev, "hash": digest})
        prev = digest
    return lines


def log_dumps(lines: list[dict]) -> str:
    return "".join(canonical(line) + "\n" for line in lines)


@dataclass
class Verified:
    head: str
    ballots: int
    tally: dict[int, int]


def _choices(choice) -> list[int]:
    if isinstance(choice, bool):
        raise TypeError
    if isinstance(choice, int):
        return [choice]
    if isinstance(choice, list) and choice and all(isinstance(c, int) and not isinstance(c, bool) for c in choice):
        return choice
    raise TypeError


def log_verify(text: str) -> Verified:
    """Check every line's fields, its link to the line before and its hash; return the head and the tally."""
    prev, tally, seen, count = GENESIS, Counter(), set(), 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            line = json.loads(raw)
        except ValueError as exc:
            raise LogError(f"line {number}: not JSON") from exc
        if not isinstance(line, dict) or set(line) != FIELDS:
            raise LogError(f"line {number}: fields must be exactly {sorted(FIELDS)}")
        count += 1
        if line["seq"] != count:
            raise LogError(f"line {number}: seq is {line['seq']!r}, expected {count}")
        if line["prev"] != prev:
            raise LogError(f"line {number}: prev does not match the hash of the line before")
        try:
            choices = _choices(line["choice"])
        except TypeError as exc:
            raise LogError(f"line {number}: choice must be a number or a list of numbers") from exc
        if not isinstance(line["receipt"], str) or line["receipt"] in seen:
            raise LogError(f"line {number}: receipt missing or repeated")
        seen.add(line["receipt"])
        expected = line_hash(prev=prev, seq=line["seq"], choice=line["choice"], receipt=line["receipt"])
        if line["hash"] != expected:
            raise LogError(f"line {number}: hash does not match its content")
        tally.update(choices)
        prev = line["hash"]
    return Verified(head=prev, ballots=count, tally=dict(sorted(tally.items())))
