"""The house rules of docs/architecture.md: page kinds never import each other, and
no module of cjm_plugin imports itself back through others (no import circle).

Imports are read from the source with ``ast`` (those inside functions too), so a
lazy import cannot hide a circle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import cjm_plugin
from cjm_plugin.pages import page_kinds

ROOT = Path(cjm_plugin.__file__).parent


def _name(path: Path) -> str:
    parts = ["cjm_plugin", *path.relative_to(ROOT).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(path): path for path in sorted(ROOT.rglob("*.py"))}


def _imported(name: str, path: Path) -> set[str]:
    """The cjm_plugin modules ``name`` imports, and the packages that importing them runs."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            module = ".".join([*base, node.module] if node.module else base)
            if node.level == 0:
                module = node.module or ""
            found.add(module)  # `from . import export` imports the module export:
            found.update(f"{module}.{alias.name}" for alias in node.names)
    edges: set[str] = set()
    for target in found & MODULES.keys():
        # Importing `a.b.c` runs `a.b` first, unless this module is inside it already.
        parts = target.split(".")
        ancestors = {".".join(parts[:n]) for n in range(2, len(parts) + 1)}
        edges.update(a for a in ancestors if not (name + ".").startswith(a + "."))
    edges.discard(name)
    return edges


GRAPH = {name: _imported(name, path) for name, path in MODULES.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """An import circle in ``graph``, as the modules along it; ``None`` without one."""
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> list[str] | None:
        if name in path:
            return [*path[path.index(name) :], name]
        if name in done:
            return None
        for target in sorted(graph[name]):
            cycle = visit(target, [*path, name])
            if cycle is not None:
                return cycle
        done.add(name)
        return None

    for name in sorted(graph):
        cycle = visit(name, [])
        if cycle is not None:
            return cycle
    return None


def test_page_kinds_never_import_each_other() -> None:
    kinds = {type(kind).__module__ for kind in page_kinds()} & MODULES.keys()
    assert "cjm_plugin.pages.overview" in kinds  # the kinds are found
    crossing = {(kind, other) for kind in kinds for other in GRAPH[kind] & kinds}
    assert crossing == set()


def test_cjm_plugin_has_no_import_circle() -> None:
    assert _cycle(GRAPH) is None


def test_the_check_sees_a_circle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
