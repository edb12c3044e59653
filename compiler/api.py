"""capplan's Python API: compile capacity-plan specs from Python, whole or one phase at a time.

Shaped like python-hcl2's `hcl2.api` (load a file, `loads` a string, each phase callable on its
own), over the same pipeline as the `capplan` command (capplan.pipeline, capplan.check.loader,
capplan.check.checker, capplan.engine): the same specs give the same figures, diagnostics and
JSON document as `capplan eval --format json`.

Whole pipeline::

    import capplan.api as capplan

    comp = capplan.load("specs/examples/llama3-70b-pretrain.plan")   # read, parse, check, evaluate
    plan = capplan.plan(comp, "llama70b_pretrain")                   # one plan's result (a dict)
    plan["peak_bytes"], plan["fits"], plan["time"]["step_s"]
    doc = capplan.result_document(comp)                              # `capplan eval --format json`

    comp = capplan.loads(text, name="inline.plan")                   # a spec held in a string

Phase by phase, each returning the same Compilation, filled one phase further::

    comp = capplan.read("a.plan")      # phase 1-2: read the file and its imports, parse, load the catalog
    capplan.check(comp)                # phase 3: resolve names, units, schema; comp.checked
    capplan.evaluate(comp)             # phase 4-5: the engine and `require`; comp.plans, .models, .searches
    tree = capplan.parse(text, "a.plan")   # phase 1 alone: the AST (capplan.lang.ast)

Errors: a spec with errors of its own (syntax, unknown names, wrong units...) raises SpecError,
which carries the diagnostics and renders them as the command line does; pass
`raise_on_error=False` to get the Compilation and read `comp.diagnostics` instead. A plan that
evaluates but fails a `require` (or does not fit) is a result, not an error: its dict says
`"ok": false` and the diagnostics hold E0601/E0603, as `capplan check` reports them.

Importing this module imports nothing else of capplan; each function loads the phases it runs.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Union

if TYPE_CHECKING:
    from capplan.core.diagnostics import Diagnostic
    from capplan.lang.ast import File
    from capplan.pipeline import Compilation

PathLike = Union[str, "os.PathLike[str]"]

__all__ = ["SpecError", "load", "loads", "read", "reads", "parse", "check", "evaluate", "plan",
           "result_document"]


class SpecError(ValueError):
    """The specs have errors. `diagnostics`: the Diagnostic records, sorted; str(): rendered as by `capplan check`."""

    def __init__(self, diagnostics: list[Diagnostic], rendered: str):
        super().__init__(rendered)
        self.diagnostics = diagnostics

    @property
    def codes(self) -> list[str]:
        """The diagnostic codes, e.g. ['E0201']."""
        return [d.code for d in self.diagnostics]


def load(paths: PathLike | Iterable[PathLike], *, evaluate: bool = True,
         raise_on_error: bool = True) -> Compilation:
    """Compile spec files as `capplan eval` does: each file with its imports and the catalog.

    Several files are compiled each as its own unit and merged (a file never sees another's
    declarations). `evaluate=False` stops after checking (no figures).
    """
    from capplan.pipeline import compile_files

    comp = compile_files(_paths(paths), evaluate=evaluate)
    return _verdict(comp, raise_on_error)


def loads(text: str, name: str = "spec.plan", *, directory: PathLike | None = None, evaluate: bool = True,
          raise_on_error: bool = True) -> Compilation:
    """Compile a spec given as text, as if it were the file `name` in `directory` (default: the
    working directory): its imports are read from there, its diagnostics name `name`."""
    from capplan.pipeline import compile_files

    entry, read = _virtual_file(text, name, directory)
    comp = compile_files([entry], read=read, evaluate=evaluate)
    return _verdict(comp, raise_on_error)


def read(path: PathLike, *, raise_on_error: bool = True) -> Compilation:
    """Phases 1-2: read `path` and the files it imports, parse them, load the standard catalog.

    Returns a Compilation with `program` (the parsed files, capplan.check.loader.Program) and
    `diagnostics`; check() and evaluate() take it further.
    """
    from capplan.check.loader import load as load_program
    from capplan.core.diagnostics import Diagnostics
    from capplan.pipeline import Compilation

    diagnostics = Diagnostics()
    comp = Compilation(load_program([os.fspath(path)], diagnostics), diagnostics)
    return _verdict(comp, raise_on_error)


def reads(text: str, name: str = "spec.plan", *, directory: PathLike | None = None,
          raise_on_error: bool = True) -> Compilation:
    """read() for a spec given as text (see loads())."""
    from capplan.check.loader import load as load_program
    from capplan.core.diagnostics import Diagnostics
    from capplan.pipeline import Compilation

    entry, reader = _virtual_file(text, name, directory)
    diagnostics = Diagnostics()
    comp = Compilation(load_program([entry], diagnostics, reader), diagnostics)
    return _verdict(comp, raise_on_error)


def parse(text: str, name: str = "spec.plan") -> File:
    """Phase 1 alone: the AST of one spec's text (capplan.lang.ast.File); SpecError on syntax errors.

    Imports are not followed and names are not resolved: that is read() and check().
    """
    from capplan.core.diagnostics import Diagnostics
    from capplan.core.source import SourceFile, SourceMap
    from capplan.lang.parser import parse as parse_text

    diagnostics = Diagnostics()
    tree = parse_text(text, name, diagnostics)
    if tree is None or diagnostics.has_errors:
        sources = SourceMap()
        sources.add(SourceFile(name, text))
        raise _error(diagnostics, sources)
    return tree


def check(comp: Compilation | PathLike, *, raise_on_error: bool = True) -> Compilation:
    """Phase 3: resolve names and imports, check units, kinds and fields (capplan.check.checker).

    Takes what read() returned (or a path, read first); fills `comp.checked` and `comp.checker`.
    """
    from capplan.check.checker import check as check_program

    comp = _compilation(comp, raise_on_error)
    if comp.checked is None and (comp.program.files or comp.program.catalog):
        comp.checked, comp.checker = check_program(comp.program, comp.diagnostics)
    return _verdict(comp, raise_on_error)


def evaluate(comp: Compilation | PathLike, *, raise_on_error: bool = True) -> Compilation:
    """Phases 4-5: the engine's figures for every plan, search and goal, then each `require`.

    Takes what check() returned (checking first what has not been checked, reading a path first);
    fills `comp.plans`, `comp.models`, `comp.searches` and `comp.goals` (capplan.pipeline.run_engine).
    A Compilation is evaluated once: calling this again returns it as it is.
    """
    from capplan.pipeline import run_engine

    if not isinstance(comp, (str, os.PathLike)) and len(comp.program.entries) > 1 and comp.checked is not None:
        raise ValueError("evaluate() takes one file's compilation: load(paths) evaluates several files itself")
    comp = check(comp, raise_on_error=raise_on_error)
    if comp.checked is not None and not (comp.plans or comp.models or comp.searches or comp.goals):
        run_engine(comp)
    return _verdict(comp, raise_on_error)


def plan(comp: Compilation, name: str) -> dict:
    """The evaluated result of the plan called `name` (KeyError, naming the plans, if there is none)."""
    for result in comp.plans:
        if result["name"] == name:
            return result
    raise KeyError(f"no plan `{name}`; plans: {', '.join(sorted(p['name'] for p in comp.plans)) or 'none'}")


def result_document(comp: Compilation) -> dict:
    """The versioned JSON document of `capplan eval --format json` (schema capplan/result/v1)."""
    from capplan.pipeline import result_document as document

    return document(comp)


# ------------------------------------------------------------------ helpers

def _paths(paths: PathLike | Iterable[PathLike]) -> list[str]:
    if isinstance(paths, (str, os.PathLike)):
        return [os.fspath(paths)]
    return [os.fspath(p) for p in paths]


def _virtual_file(text: str, name: str, directory: PathLike | None):
    """(the entry path to give the loader, a reader that answers `text` for it and reads the rest)."""
    from capplan.core.source import read_spec

    entry = Path(os.path.abspath(Path(directory if directory is not None else os.getcwd()) / name))
    real = str(entry.resolve())

    def reader(path: str) -> str:
        return text if path == real else read_spec(path)

    return str(entry), reader


def _compilation(comp: Compilation | PathLike, raise_on_error: bool) -> Compilation:
    if isinstance(comp, (str, os.PathLike)):
        return read(comp, raise_on_error=raise_on_error)
    return comp


def _verdict(comp: Compilation, raise_on_error: bool) -> Compilation:
    if raise_on_error and comp.broken:
        raise _error(comp.diagnostics, comp.program.sources)
    return comp


def _error(diagnostics, sources) -> SpecError:
    from capplan.core.diagnostics import render_all

    items = diagnostics.sorted()
    return SpecError(items, render_all(items, sources))
