"""The shape of the code: layers point down (import-linter) and the apps' import graph has no cycle."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent


def _app_graph() -> dict[str, set[str]]:
    packages = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["root_packages"]
    graph = grimp.build_graph(*packages, cache_dir=None)
    edges: dict[str, set[str]] = {package: set() for package in packages}
    for package in packages:
        for module in graph.find_descendants(package) | {package}:
            if ".migrations." in module:  # migrations name other apps' models by string; Django orders them
                continue
            for imported in graph.find_modules_directly_imported_by(module):
                target = imported.split(".")[0]
                if target != package:
                    edges[package].add(target)
    return edges


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_apps_import_one_another_without_a_cycle():
    cycle = _cycle(_app_graph())
    assert cycle is None, "import cycle between apps: " + " -> ".join(cycle)


def test_import_contracts_hold():
    result = subprocess.run([str(Path(sys.executable).with_name("lint-imports")), "--no-cache"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_the_domain_never_imports_a_channel_or_notifications():
    edges = _app_graph()
    channels = {"mapping", "api", "open311", "config"}
    for domain_app in ("core", "geodata", "accounts", "reports", "clients", "alerts", "privacy", "scorecards"):
        assert not edges[domain_app] & (channels | {"notifications"}), (domain_app, edges[domain_app])
    assert edges["core"] <= set() and edges["geodata"] <= {"core"}
