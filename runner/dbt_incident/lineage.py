"""The dbt DAG as adjacency lists: upstream lineage, downstream blast radius, nearest failed ancestor.

Built once from the manifest's `parent_map` (or `depends_on.nodes`), with children derived by inverting it.
Every walk is a breadth-first search over the adjacency lists: linear in the nodes and edges it visits.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from dbt_incident.artifacts.types import Manifest, Node

# Resource types that hold data a consumer reads; tests, operations and analyses are not blast radius.
DATA_RESOURCE_TYPES = frozenset({"model", "snapshot", "seed", "source"})


@dataclass(frozen=True)
class Lineage:
    """Parents and children of every node, source and exposure (by unique_id)."""

    parents: Mapping[str, tuple[str, ...]]
    children: Mapping[str, tuple[str, ...]]

    @classmethod
    def from_manifest(cls, manifest: Manifest) -> Lineage:
        """Build from `Manifest.parent_map` (exposures included); macros are not part of the DAG."""
        return cls.from_parent_map(manifest.parent_map)

    @classmethod
    def from_nodes(cls, nodes: Iterable[Node]) -> Lineage:
        """Build from node bodies alone (legacy run_results embed them): partial, but better than none."""
        return cls.from_parent_map({node.unique_id: node.parents for node in nodes})

    @classmethod
    def from_parent_map(cls, parent_map: Mapping[str, Iterable[str]]) -> Lineage:
        """Build from `{unique_id: parents}`; children are derived, macro parents dropped."""
        parents: dict[str, tuple[str, ...]] = {}
        children: dict[str, list[str]] = {}
        for unique_id, node_parents in parent_map.items():
            kept = tuple(parent for parent in node_parents if not parent.startswith("macro."))
            parents[unique_id] = kept
            for parent in kept:
                children.setdefault(parent, []).append(unique_id)
        return cls(parents, {key: tuple(value) for key, value in children.items()})

    def upstream(self, unique_id: str) -> list[str]:
        """Every ancestor of the node, nearest first (breadth-first), without the node itself."""
        return _walk(unique_id, self.parents)

    def downstream(self, unique_id: str) -> list[str]:
        """Every descendant of the node, nearest first (breadth-first), without the node itself."""
        return _walk(unique_id, self.children)

    def nearest_roots(self, starts: Mapping[str, str], candidates: set[str]) -> dict[str, str]:
        """Assign each candidate (skipped or collateral node) to the nearest root above it.

        `starts` maps each root to the node its walk starts from: the root itself, or for a failing test
        the tested model (dbt skips the model's children when its test fails). One multi-source
        breadth-first search from all starts down the children lists: a candidate is claimed by the first
        root to reach it (ties go to the root listed first). Runs in O(nodes + edges).
        Returns `{candidate: root}`; candidates that no root reaches are absent, roots never claim themselves.
        """
        owner: dict[str, str] = {}
        queue: deque[str] = deque()
        for root, start in starts.items():
            if start not in owner:
                owner[start] = root
                queue.append(start)
        while queue:
            current = queue.popleft()
            for child in self.children.get(current, ()):
                if child not in owner:
                    owner[child] = owner[current]
                    queue.append(child)
        return {
            candidate: owner[candidate]
            for candidate in candidates
            if candidate in owner and owner[candidate] != candidate and candidate not in starts
        }


def _walk(start: str, edges: Mapping[str, tuple[str, ...]]) -> list[str]:
    seen = {start}
    order: list[str] = []
    queue = deque(edges.get(start, ()))
    while queue:
        current = queue.popleft()
        if current in seen:
            continue
        seen.add(current)
        order.append(current)
        queue.extend(edges.get(current, ()))
    return order
