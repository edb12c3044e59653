"""The house's shape, checked: phases as packages, imports only downward, no cycles, small modules.

Layers, lowest first (a module may import from its own layer or a lower one):
core -> lang -> check -> ir -> engine -> analyses -> pipeline/api -> render -> tools -> cli.
Function-local imports are allowed only where a command is loaded lazily (LAZY below), so
`capplan check` does not import the report, the search or Pint's registry it does not use.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "compiler"
LAYERS = ["core", "lang", "check", "ir", "engine", "analyses", "api", "render", "tools", "cli"]
TOP_LEVEL = {"pipeline": "api", "api": "api", "cli": "cli", "__main__": "cli", "__init__": "core",
             "catalog": "check"}
MAX_LINES = 500
# Modules still over the limit, with their size when this list was last shrunk: the test fails
# if one grows, and if one falls under the limit without leaving the list.
OVERSIZE: dict[str, int] = {}
# Generated code, not kept by hand: Jinja2's Python for the report's templates (scripts/compile_templates.py).
GENERATED = ("capplan.render.report.compiled.",)
# module -> reason: the only function-local imports allowed (lazy loading of a command or of an
# optional dependency the command needs).
LAZY_MODULES = {"capplan.cli", "capplan.__main__", "capplan.api",
                "capplan.pipeline"}  # the search and goals (and numpy) load only for specs that have them
# The package root re-exports the public API lazily (PEP 562 __getattr__): `import capplan` loads nothing.
ROOT_API = ("capplan", "capplan.api")


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(["capplan", *parts])] = path
    return out


MODULES = _modules()


def _layer(module: str) -> int:
    parts = module.split(".")
    head = parts[1] if len(parts) > 1 else "__init__"
    return LAYERS.index(TOP_LEVEL.get(head, head))


def _imports(path: Path, module_level_only: bool) -> list[tuple[str, int, bool]]:
    """(imported capplan module, line, at module level) for each import of a capplan module."""
    tree = ast.parse(path.read_text())
    top = {id(n) for n in tree.body}
    for node in tree.body:  # imports under `if TYPE_CHECKING:` are module level too
        if isinstance(node, ast.If):
            top |= {id(n) for n in node.body}
    out = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "capplan":
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                names.append(full if full in MODULES else node.module)
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names if a.name.split(".")[0] == "capplan"]
        for name in names:
            at_top = id(node) in top
            if module_level_only and not at_top:
                continue
            out.append((name, node.lineno, at_top))
    return out


def test_relative_imports_are_not_used():
    found = [f"{p.relative_to(ROOT)}:{n.lineno}" for p in MODULES.values()
             for n in ast.walk(ast.parse(p.read_text())) if isinstance(n, ast.ImportFrom) and n.level]
    assert not found, "use absolute capplan.<phase>.<module> imports: " + ", ".join(found)


def test_imports_point_downward():
    upward = []
    for module, path in MODULES.items():
        for target, line, _ in _imports(path, module_level_only=False):
            if (module, target) == ROOT_API:
                continue
            if target in MODULES and _layer(target) > _layer(module):
                upward.append(f"{path.relative_to(ROOT)}:{line} imports {target} "
                              f"({LAYERS[_layer(module)]} -> {LAYERS[_layer(target)]})")
    assert not upward, "\n".join(upward)


def test_no_import_cycles():
    graph = {m: {t for t, _, _ in _imports(p, module_level_only=True) if t in MODULES and t != m}
             for m, p in MODULES.items()}
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join(stack[stack.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert not cycles, "\n".join(cycles)


def test_function_local_imports_only_for_lazy_commands():
    local = [f"{path.relative_to(ROOT)}:{line} imports {target}"
             for module, path in MODULES.items() if module not in LAZY_MODULES
             for target, line, at_top in _imports(path, module_level_only=False)
             if not at_top and (module, target) != ROOT_API]
    assert not local, "\n".join(local)


def test_modules_stay_small():
    sizes = {m: len(p.read_text().splitlines()) for m, p in MODULES.items()}
    over = {m: n for m, n in sizes.items()
            if n > MAX_LINES and n > OVERSIZE.get(m, 0) and not m.startswith(GENERATED)}
    assert not over, f"modules over {MAX_LINES} lines: {over}"
    shrunk = [m for m, n in OVERSIZE.items() if sizes.get(m, 0) <= MAX_LINES]
    assert not shrunk, f"now under the limit, remove from OVERSIZE: {shrunk}"


def test_phases_are_packages():
    for phase in LAYERS[:6] + ["render", "tools"]:
        if phase == "api":
            continue
        assert (PACKAGE / phase / "__init__.py").is_file(), phase
    flat = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert flat == ["__init__.py", "__main__.py", "api.py", "cli.py", "pipeline.py"], flat
