"""The `capplan diff` and `capplan affected` commands: arguments to file pairs to output and exit status."""

from __future__ import annotations

import json
import os
import sys
from typing import Callable

from capplan.core.exits import EXIT_OK, EXIT_USAGE, EXIT_USER
from capplan.pipeline import compile_files
from capplan.tools.affected import GitError, Repo, affected, spec_pair
from capplan.tools.diff.policy import failures, parse_fail_on
from capplan.tools.diff.render import render_markdown, render_text
from capplan.tools.diff.semantic import diff_units


def _threshold(text: str) -> float | None:
    try:
        value = float(text.strip().rstrip("%")) / 100
    except ValueError:
        return None
    return value if 0 <= value < 1 else None


def _pairs(args) -> list[dict]:
    """The file pairs to compare: OLD NEW, or FILEs and folders (default: the whole repository) against a
    git revision; a folder stands for the specs under it that the change affects."""
    if args.git is None:
        old, new = args.files
        return [{"path": new, "status": "modified", "before": compile_files([old]), "after": compile_files([new])}]
    repo = Repo.find()
    rev = repo.verify(args.git)
    rels = []
    for f in args.files or ["."]:
        if os.path.isdir(f):  # a folder: the specs under it that the change affects
            rels += [repo.relative(a["path"]) for a in affected(repo, rev, [f])]
            continue
        try:
            rels.append(repo.relative(f))
        except ValueError:
            raise GitError(f"`{f}` is outside the repository {repo.root}") from None
    rels = list(dict.fromkeys(rels))
    pairs = []
    for rel in rels:
        pair = spec_pair(repo, rev, rel)
        if pair["before"] is None and pair["after"] is None:
            raise GitError(f"`{repo.shown(rel)}` exists neither at {args.git} nor in the work tree")
        pairs.append(pair)
    return pairs


def run_diff(args, print_diagnostics, color: bool) -> int:
    if (args.git is None and len(args.files) != 2) or (args.git is not None and not args.git.strip()):
        print("capplan: diff takes OLD NEW, or --git REV [FILE...] (REV not empty)", file=sys.stderr)
        return EXIT_USAGE
    threshold = _threshold(args.threshold)
    if threshold is None:
        print(f"capplan: --threshold `{args.threshold}` is not a percentage below 100% (e.g. 0.05%)",
              file=sys.stderr)
        return EXIT_USAGE
    policies, error = parse_fail_on(args.fail_on)
    if error:
        print(f"capplan: {error}", file=sys.stderr)
        return EXIT_USAGE
    try:
        pairs = _pairs(args)
    except GitError as exc:
        print(f"capplan: {exc}", file=sys.stderr)
        return EXIT_USER
    broken = False
    for pair in pairs:
        for side, label in (("before", "old"), ("after", "new")):
            comp = pair[side]
            if comp is not None and comp.broken:
                print(f"capplan: the {label} version of {pair['path']} has errors:", file=sys.stderr)
                print_diagnostics(comp, "text", color)
                if side == "after":
                    broken = True
                else:  # a pull request that repairs a broken spec: its plans show as added
                    pair["before"] = None
                    pair["status"] = "repaired"
    if broken:
        return EXIT_USER
    d = diff_units(pairs, threshold)
    d["failures"] = failures(d, policies)
    if args.format == "json":
        print(json.dumps(d, indent=2, sort_keys=True))
    elif args.format == "md":
        sys.stdout.write(render_markdown(d))
    else:
        sys.stdout.write(render_text(d))
    for failure in d["failures"]:
        print(f"capplan: diff --fail-on {failure['policy']}: {failure['message']}", file=sys.stderr)
    return EXIT_USER if d["failures"] else EXIT_OK


def run_affected(args, check: Callable[[list[str]], int]) -> int:
    """List the affected specs; with --check, run `check` (capplan.cli's `capplan check`) on them: the
    pre-commit hook."""
    try:
        repo = Repo.find()
        found = affected(repo, repo.verify(args.git), args.paths)
    except GitError as exc:
        print(f"capplan: {exc}", file=sys.stderr)
        return EXIT_USER
    if args.existing or args.check:
        found = [s for s in found if s["status"] != "deleted"]
    if args.check:
        if not found:
            return EXIT_OK
        return check([s["path"] for s in found])
    if args.format == "json":
        print(json.dumps({"schema": "capplan/affected/v1", "rev": args.git, "specs": found}, indent=2,
                         sort_keys=True))
    else:
        for spec in found:
            print(spec["path"])
    return EXIT_OK
