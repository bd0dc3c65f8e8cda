"""Peer groups: which local governments are compared with which (written once, tested over all 243)."""

from __future__ import annotations

from scorecards.models import PeerGroup


def peer_group_of(*, level: str, name: str) -> str:
    """광역 for a province-level government; otherwise 시, 군 or 자치구 by the name's last syllable.

    A city with non-autonomous districts (level "city", e.g. 수원시) is a 시; a municipal-level
    local government is a 시, a 군 or a 구 — and a 구 that governs itself is an autonomous district
    (the districts of the 11 cities are not local governments, so they never get here).
    """
    if level == "province":
        return PeerGroup.PROVINCE
    suffix = name.strip()[-1:]
    if level == "city" or suffix == "시":
        return PeerGroup.CITY
    if suffix == "군":
        return PeerGroup.COUNTY
    if suffix == "구":
        return PeerGroup.DISTRICT
    raise ValueError(f"No peer group for the local government {name!r} at level {level!r}")
