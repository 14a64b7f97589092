"""The layout's rules, checked on the source: no import cycles, and a domain package free of orchestration.

Imports are read from the syntax tree, including those inside functions (a lazy import is still a
dependency), so a cycle cannot hide behind `import` statements moved into a function body.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("ogi", "ogi_cli", "assets", "pipelines", "expectations")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}


def _imports(path: Path, name: str, known: set[str]) -> set[str]:
    """Project modules imported by a module (the longest known prefix of each imported name)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                pkg = name.split(".") if is_package else name.split(".")[:-1]
                pkg = pkg[: len(pkg) - node.level + 1]
                base = ".".join([*pkg, base] if base else pkg)
            names = [f"{base}.{a.name}" for a in node.names] + [base]
        for imported in names:
            parts = imported.split(".")
            for k in range(len(parts), 0, -1):
                candidate = ".".join(parts[:k])
                if candidate in known:
                    if candidate != name:
                        found.add(candidate)
                    break
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(path, name, known) for name, path in modules.items()}


def _external_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            out.add(node.module.split(".")[0])
    return out


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles() -> None:
    graph = _graph()
    # A package's __init__ that only re-exports its own submodules is not a cycle of concern when a
    # submodule imports a sibling through the package; count only edges between distinct modules.
    assert _cycles(graph) == []


@pytest.mark.parametrize("forbidden", ["dagster", "dagster_webserver", "pipelines", "assets", "ogi_cli", "expectations",
                                       "great_expectations"])
def test_domain_package_imports_no_orchestrator_or_command_line(forbidden: str) -> None:
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "ogi").rglob("*.py") if forbidden in _external_imports(p)]
    assert offenders == []


def test_assets_are_thin_wrappers_over_the_domain() -> None:
    """Assets hold no parsing or cleanup of their own: no regular expressions, no HTML, no PDF libraries."""
    heavy = {"re", "lxml", "bs4", "pdfplumber", "docx"}
    offenders = {str(p.relative_to(ROOT)): sorted(_external_imports(p) & heavy) for p in (ROOT / "assets").rglob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_checker_sees_a_cycle() -> None:
    """The cycle finder itself: a planted two-module cycle is found."""
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
