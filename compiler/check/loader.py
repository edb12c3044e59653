"""Phase 2: read the files named on the command line and everything they import.

Hermetic: imports are relative to the importing file, absolute paths are
refused, and no import may leave the project root (the nearest directory
above the entry file holding `capplan.toml` or `.git`; failing that, the
entry file's own directory). Symbolic links are resolved before the check.
The standard catalog (capplan/catalog/*.plan) is always loaded.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Callable

from capplan import __version__
from capplan.lang import ast
from capplan.core.diagnostics import Diagnostics, Label
from capplan.lang.parser import parse
from capplan.core.limits import limits
from capplan.core.source import SourceFile, SourceMap, SourceRefused, read_spec
from capplan.check.units import cache_dir

Reader = Callable[[str], str]
CATALOG_PREFIX = "<catalog>/"


def _read_file(path: str) -> str:
    """The default reader: regular files only, within the size limit (source.read_spec)."""
    return read_spec(path)


@dataclass
class Program:
    """Every parsed file of one compilation: the user's, then the catalog."""

    files: list[ast.File] = field(default_factory=list)
    catalog: list[ast.File] = field(default_factory=list)
    sources: SourceMap = field(default_factory=SourceMap)
    entries: list[str] = field(default_factory=list)  # display paths of the files named


def project_root(path: Path) -> Path:
    for parent in [path.parent, *path.parent.parents]:
        if (parent / "capplan.toml").exists() or (parent / ".git").exists():
            return parent
    return path.parent


def display_path(real: Path, root: Path | None = None) -> str:
    """How diagnostics and reports name a file: relative to the working directory when it is under it,
    else relative to its project root (the directory with capplan.toml or .git: a repository-relative
    path, as a pull-request comment or a CI annotation wants), else absolute."""
    cwd = Path.cwd().resolve()
    try:
        return real.relative_to(cwd).as_posix()
    except ValueError:
        pass
    if root is not None and real.is_relative_to(root) and ((root / "capplan.toml").exists()
                                                           or (root / ".git").exists()):
        return real.relative_to(root).as_posix()
    return real.as_posix()


def load(paths: list[str], diagnostics: Diagnostics, read: Reader = _read_file,
         with_catalog: bool = True) -> Program:
    program = Program()
    loaded: dict[Path, ast.File | None] = {}
    for given in paths:
        real = Path(given).resolve()
        root = project_root(Path(os.path.abspath(given))).resolve()
        shown = display_path(real, root)
        program.entries.append(shown)
        if not real.is_relative_to(root):
            # A committed symlink (specs/x.plan -> /etc/passwd) must not make capplan print or
            # parse a file outside the project, nor resolve imports next to its target.
            diagnostics.error("E0508", f"`{given}` resolves outside its project",
                              notes=(f"it resolves to {Path(os.path.relpath(real)).as_posix()}",
                                     f"project root: {display_path(root)} (the nearest directory with "
                                     "capplan.toml or .git above the path given)"),
                              hint="spec files are read inside the project only; replace the link with the file")
            loaded[real] = None
            continue
        _load_file(real, shown, root, program, loaded, [], diagnostics, read, None)
    if with_catalog:
        program.catalog = load_catalog(program.sources, diagnostics, skip=set(loaded))
    return program


def _load_file(real: Path, shown: str, root: Path, program: Program,
               loaded: dict, stack: list[Path], diagnostics: Diagnostics, read: Reader,
               via: ast.Import | None) -> None:
    if real in stack:
        chain = " -> ".join(display_path(p) for p in stack[stack.index(real):] + [real])
        diagnostics.error("E0502", "import cycle", via.path_span if via else None,
                          label="this import closes the cycle", notes=(f"cycle: {chain}",),
                          hint="move the shared declarations into a file that both import")
        return
    if real in loaded:
        return
    if len(stack) >= limits().max_import_depth:
        diagnostics.error("E0509", f"imports nested more than {limits().max_import_depth} deep",
                          via.path_span if via else None, label="this import is one too many",
                          notes=(f"chain starts at {display_path(stack[0])}",),
                          hint="flatten the chain: import the shared files from one place")
        loaded[real] = None
        return
    try:
        text = read(str(real))
    except SourceRefused as exc:
        diagnostics.error(exc.code, f"cannot read `{shown}`: {exc}", via.path_span if via else None,
                          label=f"`{shown}` is {exc}" if via else "", hint=exc.hint)
        loaded[real] = None
        return
    except FileNotFoundError:
        if via is None:
            diagnostics.error("E0505", f"cannot read `{shown}`: no such file")
        else:
            diagnostics.error("E0501", f"imported file `{via.path}` not found", via.path_span,
                              label=f"looked for {shown}",
                              hint="import paths are relative to the importing file")
        loaded[real] = None
        return
    except (OSError, UnicodeDecodeError) as exc:
        span = via.path_span if via else None
        diagnostics.error("E0505", f"cannot read `{shown}`: {exc.__class__.__name__}", span,
                          hint="spec files must be readable UTF-8 text")
        loaded[real] = None
        return
    program.sources.add(SourceFile(shown, text))
    tree = parse(text, shown, diagnostics)
    if tree is not None and not _within_plan_budget(tree, diagnostics):
        tree = None
    loaded[real] = tree
    if tree is None:
        return
    program.files.append(tree)
    for item in tree.items:
        if isinstance(item, ast.Import):
            _follow_import(item, real, root, program, loaded, stack + [real], diagnostics, read)


PLAN_KINDS = ("training", "inference", "search", "goal")


def _within_plan_budget(tree: ast.File, diagnostics: Diagnostics) -> bool:
    """At most max_plans_per_file plans in one file: each one is evaluated, and a search many times."""
    cap = limits().max_plans_per_file
    plans = [item for item in tree.items if isinstance(item, ast.Declaration) and item.kind in PLAN_KINDS]
    if len(plans) <= cap:
        return True
    diagnostics.error("E0804", f"{len(plans):,} plans in one file, over the limit of {cap:,}",
                      plans[cap].name_span, label="the first plan over the limit",
                      notes=("plans are training, inference, search and goal declarations",),
                      hint="split the plans over several files")
    return False


def _follow_import(item: ast.Import, importer: Path, root: Path, program: Program, loaded: dict,
                   stack: list[Path], diagnostics: Diagnostics, read: Reader) -> None:
    if os.path.isabs(item.path) or item.path.startswith("~"):
        diagnostics.error("E0504", f"absolute import path `{item.path}`", item.path_span,
                          label="absolute paths are not allowed",
                          hint="write the path relative to this file")
        return
    target = (importer.parent / item.path).resolve()
    if not target.is_relative_to(root):
        diagnostics.error("E0503", f"import `{item.path}` leaves the project", item.path_span,
                          label="resolves outside the project root",
                          notes=(f"project root: {display_path(root)} (the nearest directory with "
                                 "capplan.toml or .git)",),
                          hint="imports must stay inside the project's directory tree")
        return
    if target.suffix != ".plan":
        diagnostics.error("E0501", f"imported file `{item.path}` is not a .plan file", item.path_span,
                          label="spec files end in .plan")
        return
    _load_file(target, display_path(target, root), root, program, loaded, stack, diagnostics, read, item)


@functools.lru_cache(maxsize=1)
def _catalog_files() -> tuple:
    """(real path or None, display path, text, AST or None, diagnostics) per catalog file, parsed once.

    The parsed catalog is also kept in the user's cache directory (like the unit table), keyed by
    the hash of the catalog texts, the grammar and capplan's version: a `check` then skips parsing
    the catalog. Deleting the cache changes nothing but speed.
    """
    folder = resources.files("capplan.catalog")
    entries = [e for e in sorted(folder.iterdir(), key=lambda e: e.name) if e.name.endswith(".plan")]
    texts = [(e, e.read_text(encoding="utf-8")) for e in entries]
    key = hashlib.sha256()
    key.update(__version__.encode())
    key.update(resources.files("capplan.grammar").joinpath("capplan.lark").read_bytes())
    for e, text in texts:
        key.update(e.name.encode() + b"\0" + text.encode())
    cached = _cache_read(f"catalog-{key.hexdigest()[:16]}.pickle")
    if cached is not None:
        return tuple((Path(str(e)).resolve() if isinstance(e, Path) else None, shown, text, tree, problems)
                     for (e, text), (shown, tree, problems) in zip(texts, cached))
    out, parsed = [], []
    for entry, text in texts:
        shown = CATALOG_PREFIX + entry.name
        bag = Diagnostics()
        tree = parse(text, shown, bag)
        real = Path(str(entry)).resolve() if isinstance(entry, Path) else None
        out.append((real, shown, text, tree, tuple(bag.items)))
        parsed.append((shown, tree, tuple(bag.items)))
    _cache_write(f"catalog-{key.hexdigest()[:16]}.pickle", parsed)
    return tuple(out)


def _cache_read(name: str):

    try:
        with open(cache_dir() / name, "rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, ValueError):
        return None


def _cache_write(name: str, value) -> None:

    try:
        folder = cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / name)
    except OSError:
        pass


def load_catalog(sources: SourceMap, diagnostics: Diagnostics, skip: set[Path] = frozenset()) -> list[ast.File]:
    """The standard catalog; a catalog file also named on the command line is not loaded twice."""
    files = []
    for real, shown, text, tree, problems in _catalog_files():
        if real is not None and real in skip:
            continue
        sources.add(SourceFile(shown, text))
        diagnostics.extend(problems)
        if tree is not None:
            files.append(tree)
    return files


def is_catalog(path: str) -> bool:
    return path.startswith(CATALOG_PREFIX)


__all__ = ["Program", "load", "load_catalog", "is_catalog", "Label"]
