"""Specs at a git revision and in the work tree: `capplan affected` and `capplan diff --git`.

`affected --git REV [PATH...]` lists every spec (`*.plan`, tracked or new) whose plans'
resolved inputs differ between REV and the work tree: its own text changed, a file it
imports changed in a way that reaches a plan (a cluster swapped in `shared/clusters.plan`),
or it was added or deleted, or a catalog entry one of its plans uses changed. The old
side is read from git (`git show REV:path`, imports included), never from the work tree.
The standard catalog is the installed capplan's on both sides, unless the repository
holds the catalog itself (capplan's own repository, or a checkout installed in editable
mode): then the old side reads the catalog as it was at REV too.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from capplan.core.diagnostics import Diagnostics
from capplan.core.source import SourceFile, read_spec
from capplan.lang.parser import parse
from capplan.check.checker import check
from capplan.check.loader import CATALOG_PREFIX, load
from capplan.pipeline import Compilation, compile_files, run_engine
from capplan.tools.diff.inputs import plan_inputs


EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # git's empty tree: the base of a first commit


class GitError(ValueError):
    """A git problem the user can fix (not a repository, unknown revision)."""


@dataclass
class Repo:
    root: Path

    @classmethod
    def find(cls, cwd: str | None = None) -> "Repo":
        top = _git(["rev-parse", "--show-toplevel"], cwd or os.getcwd())
        if top is None:
            raise GitError("not inside a git repository")
        return cls(Path(top.strip()).resolve())

    def verify(self, rev: str) -> str:
        """`rev` if it names a commit; the empty tree for `HEAD` before the first commit (a pre-commit hook)."""
        if not rev.startswith("-") and _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"],
                                            self.root) is not None:
            return rev
        if rev == "HEAD" and _git(["rev-parse", "--verify", "--quiet", "HEAD"], self.root) is None:
            return EMPTY_TREE
        raise GitError(f"unknown git revision `{rev}`")

    def relative(self, path: str) -> str:
        return Path(path).resolve().relative_to(self.root).as_posix()

    def show_bytes(self, rev: str, path: str) -> bytes | None:
        """The content of `path` (any form) at `rev`; None if it did not exist there."""
        try:
            rel = self.relative(path)
        except ValueError:
            return None
        out = subprocess.run(["git", "show", f"{rev}:{rel}"], capture_output=True, cwd=self.root)
        return out.stdout if out.returncode == 0 else None

    def show(self, rev: str, path: str) -> str | None:
        data = self.show_bytes(rev, path)
        return None if data is None else data.decode("utf-8", errors="replace")

    def reader(self, rev: str):
        """A loader `read` hook serving files as they were at `rev` (UnicodeDecodeError as for a file)."""
        def read(path: str) -> str:
            data = self.show_bytes(rev, path)
            if data is None:
                raise FileNotFoundError(path)
            return data.decode("utf-8")
        return read

    def catalog_at(self, rev: str) -> list[tuple[str, str]] | None:
        """The catalog files (display path, text) at `rev` when the repository holds the catalog; else None."""
        try:
            rel = catalog_folder().resolve().relative_to(self.root).as_posix()
        except ValueError:
            return None
        out = _git(["ls-tree", "--name-only", "-z", f"{rev}:{rel}"], self.root)
        if out is None:
            return None
        names = sorted(n for n in out.split("\0") if n.endswith(".plan"))
        return [(CATALOG_PREFIX + n, self.show(rev, str(self.root / rel / n)) or "") for n in names]

    def specs_at(self, rev: str) -> set[str]:
        out = _git(["ls-tree", "-r", "--name-only", "-z", rev], self.root) or ""
        return {p for p in out.split("\0") if p.endswith(".plan")}

    def specs_now(self) -> set[str]:
        out = _git(["ls-files", "--cached", "--others", "--exclude-standard", "-z"], self.root) or ""
        return {p for p in out.split("\0") if p.endswith(".plan") and (self.root / p).is_file()}

    def shown(self, rel: str) -> str:
        """A repository path as the loader displays it (relative to the working directory)."""
        real = self.root / rel
        try:
            return real.relative_to(Path.cwd().resolve()).as_posix()
        except ValueError:
            return real.as_posix()


def _git(args: list[str], cwd) -> str | None:
    try:
        out = subprocess.run(["git", *args], capture_output=True, cwd=cwd)
    except OSError:
        raise GitError("git is not installed") from None
    return out.stdout.decode("utf-8") if out.returncode == 0 else None


def candidate_specs(repo: Repo, rev: str, paths: list[str]) -> list[str]:
    """Repository-relative spec paths at `rev` or now, under `paths` (everything if none)."""
    every = repo.specs_at(rev) | repo.specs_now()
    try:  # a catalog kept in the repository is not a spec: its changes show through the specs that use it
        catalog = catalog_folder().resolve().relative_to(repo.root).as_posix() + "/"
        every = {s for s in every if not s.startswith(catalog)}
    except ValueError:
        pass
    if not paths:
        return sorted(every)
    prefixes = []
    for p in paths:
        try:
            prefixes.append(repo.relative(p))
        except ValueError:
            raise GitError(f"`{p}` is outside the repository {repo.root}") from None
    return sorted(s for s in every if any(s == q or q in ("", ".") or s.startswith(q.rstrip("/") + "/")
                                          for q in prefixes))


def catalog_folder() -> Path:
    """Where the installed standard catalog lives (inside the repository for an editable install)."""
    return Path(str(resources.files("capplan.catalog")))


def catalog_now() -> list[tuple[str, str]]:
    folder = catalog_folder()
    return [(CATALOG_PREFIX + p.name, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.plan"))]


def compile_with_catalog(path: str, read, catalog: list[tuple[str, str]], evaluate: bool = True):
    """One compilation unit (as `pipeline.compile_files`) against the given catalog texts."""
    diagnostics = Diagnostics()
    program = load([path], diagnostics, read, with_catalog=False)
    for shown, text in catalog:
        program.sources.add(SourceFile(shown, text))
        tree = parse(text, shown, diagnostics)
        if tree is not None:
            program.catalog.append(tree)
    comp = Compilation(program, diagnostics)
    comp.checked, comp.checker = check(program, diagnostics)
    if evaluate:
        run_engine(comp)
    return comp


def _sources(path: str, read) -> tuple:
    """Every user file a spec loads (itself and its imports) with its text, and what failed to load."""
    problems = Diagnostics()
    program = load([path], problems, read, with_catalog=False)
    return ({f.path: program.sources.get(f.path).text.replace("\r\n", "\n") for f in program.files},
            [str(d.span) + d.message for d in problems.items])


def _compile(path: str, read, catalog, evaluate: bool):
    if catalog is not None:
        return compile_with_catalog(path, read, catalog, evaluate)
    return compile_files([path], read=read, evaluate=evaluate)


def spec_pair(repo: Repo, rev: str, rel: str, evaluate: bool = True) -> dict:
    """{"path", "status", "before", "after"}: one spec compiled at `rev` and in the work tree."""
    full = str(repo.root / rel)
    then, now = repo.show(rev, full) is not None, (repo.root / rel).is_file()
    status = "modified" if then and now else "added" if now else "deleted"
    old_catalog = repo.catalog_at(rev)
    new_catalog = catalog_now() if old_catalog is not None else None
    return {"path": repo.shown(rel), "status": status,
            "before": _compile(full, repo.reader(rev), old_catalog, evaluate) if then else None,
            "after": _compile(full, _read, new_catalog, evaluate) if now else None}


def affected(repo: Repo, rev: str, paths: list[str]) -> list[dict]:
    """Per affected spec: {"path", "status", "edited", "plans": {name: [changed input fields]}}."""
    result = []
    old_catalog = repo.catalog_at(rev)
    catalog_changed = old_catalog is not None and old_catalog != catalog_now()
    for rel in candidate_specs(repo, rev, paths):
        full = str(repo.root / rel)
        then = repo.show_bytes(rev, full)
        now = (repo.root / rel).read_bytes() if (repo.root / rel).is_file() else None
        if then is None or now is None:
            result.append({"path": repo.shown(rel), "status": "added" if then is None else "deleted",
                           "edited": True, "plans": {}})
            continue
        if not catalog_changed and _sources(full, repo.reader(rev)) == _sources(full, _read):
            continue
        pair = spec_pair(repo, rev, rel, evaluate=False)
        before, after = plan_inputs(pair["before"]), plan_inputs(pair["after"])
        plans = {}
        for name in sorted(set(before) | set(after)):
            a, b = before.get(name), after.get(name)
            if a is None or b is None:
                plans[name] = ["(added)" if a is None else "(removed)"]
                continue
            fields = sorted(k for k in set(a["inputs"]) | set(b["inputs"]) if a["inputs"].get(k) != b["inputs"].get(k))
            if a["requirements"] != b["requirements"]:
                fields.append("require")
            if fields:
                plans[name] = fields
        edited = then.replace(b"\r\n", b"\n") != now.replace(b"\r\n", b"\n")  # core.autocrlf checkouts
        if edited or plans:
            result.append({"path": repo.shown(rel), "status": "modified", "edited": edited, "plans": plans})
    return result


def _read(path: str) -> str:
    return read_spec(path)

