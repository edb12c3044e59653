"""`capplan export`: an evaluated plan's layout as the arguments or config of the framework
that runs it.

    capplan export FILE PLAN --to megatron|deepspeed|torchrun|vllm [-o OUT]

Targets (every argument/key name used here is listed, with its source, in
compiler/tools/export/sources.md and tests/data/export/):

- megatron  (training): a bash fragment defining NNODES, NPROC_PER_NODE and the array
  MEGATRON_ARGS of Megatron-LM `pretrain_gpt.py` arguments.
- deepspeed (training): a DeepSpeed config JSON (documented keys only).
- torchrun  (training): a `torchrun` command line (launcher flags) followed by the
  training-script settings for PyTorch FSDP/DDP, which are capplan's suggested names for
  the user's own script, not torchrun flags.
- vllm      (inference): a `vllm serve MODEL ...` command line.

What a target cannot express is never dropped silently: it becomes a warning, printed to
stderr and, for the text targets, written into the output as a comment line starting
with `# capplan:`.

Nothing here prints except `run_export`, which writes to the streams it is given; capplan.cli
builds the command's arguments (targets from capplan.tools.export.targets).
"""

from __future__ import annotations

import re
import shlex
from typing import Any, TextIO

from capplan.core.atomic import write_atomically
from capplan.core.diagnostics import render_all
from capplan.core.exits import EXIT_OK, EXIT_USER
from capplan.pipeline import compile_files
from capplan.tools.export.common import (WARNING_PREFIX, ExportError, Exported, _details_from_result, _Out,
                                         declaration_details)
from capplan.tools.export.deepspeed import _deepspeed
from capplan.tools.export.megatron import _megatron
from capplan.tools.export.targets import TARGETS
from capplan.tools.export.torchrun import _torchrun
from capplan.tools.export.vllm import _vllm


def export(plan: dict, target: str, details: dict | None = None) -> Exported:
    """Export one evaluated plan (a result dict of `compile_files(...).plans`) to `target`.

    `details` (from `declaration_details(comp.checked.objects[name])`) adds what the result
    dict does not carry; without it the export assumes capplan's defaults and says so.
    Raises ExportError for a plan of the wrong kind or an unknown target.
    """
    if target not in TARGETS:
        raise ExportError(f"unknown target `{target}`: choose one of {', '.join(TARGETS)}")
    kind = plan.get("kind")
    if kind != TARGETS[target]:
        fitting = [t for t, k in TARGETS.items() if k == kind]
        raise ExportError(f"plan `{plan.get('name')}` is {'an' if kind == 'inference' else 'a'} {kind} plan; "
                          f"--to {target} exports {TARGETS[target]} plans"
                          + (f" (for this plan use --to {' or --to '.join(fitting)})" if fitting else ""))
    d = details if details is not None else _details_from_result(plan)
    out = _Out()
    builder = {"megatron": _megatron, "deepspeed": _deepspeed, "torchrun": _torchrun, "vllm": _vllm}[target]
    text = builder(plan, d, out)
    return Exported(text, out.warnings)


def export_plan(plan: dict, target: str, details: dict | None = None) -> str:
    """The exported text (see `export`)."""
    return export(plan, target, details).text


# ---------------------------------------------------------------- parsing our own output back

def _value(token: str) -> Any:
    for conv in (int, float):
        try:
            return conv(token)
        except ValueError:
            pass
    return token


def _flags(tokens: list[str]) -> dict[str, Any]:
    """`--flag value` pairs (a flag followed by another flag, or last, is a switch: True; one followed by
    several words, an nargs argument such as --recompute-modules, takes the list of them)."""
    args: dict[str, Any] = {}
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if not tok.startswith("--"):
            raise ValueError(f"expected a --flag, found {tok!r}")
        j = i + 1
        while j < len(tokens) and not tokens[j].startswith("--"):
            j += 1
        words = [_value(t) for t in tokens[i + 1:j]]
        args[tok] = True if not words else words[0] if len(words) == 1 else words
        i = j
    return args


def _warnings_in(text: str) -> list[str]:
    return [line[len(WARNING_PREFIX):] for line in text.splitlines() if line.startswith(WARNING_PREFIX)]


def parse_megatron_args(text: str) -> dict:
    """Read back the megatron export: {"args": {"--flag": value or True}, "nnodes", "nproc_per_node",
    "world_size", "warnings"}."""
    nnodes = re.search(r"^NNODES=(\d+)$", text, re.M)
    nproc = re.search(r"^NPROC_PER_NODE=(\d+)$", text, re.M)
    block = re.search(r"^MEGATRON_ARGS=\($(.*?)^\)$", text, re.M | re.S)
    if block is None:
        raise ValueError("no MEGATRON_ARGS=( ... ) array")
    tokens = shlex.split(block.group(1), comments=True)
    n = int(nnodes.group(1)) if nnodes else None
    g = int(nproc.group(1)) if nproc else None
    return {"args": _flags(tokens), "nnodes": n, "nproc_per_node": g,
            "world_size": n * g if n and g else None, "warnings": _warnings_in(text)}


def _command(text: str) -> list[str]:
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return shlex.split(" ".join(line.rstrip().removesuffix("\\") for line in lines))


def parse_vllm_args(text: str) -> dict:
    """Read back the vllm export: {"model": str, "args": {"--flag": value}, "warnings"}."""
    tokens = _command(text)
    if tokens[:2] != ["vllm", "serve"] or len(tokens) < 3:
        raise ValueError("not a `vllm serve MODEL ...` line")
    return {"model": tokens[2], "args": _flags(tokens[3:]), "warnings": _warnings_in(text)}


TORCHRUN_SWITCHES = ("--standalone",)


def parse_torchrun(text: str) -> dict:
    """Read back the torchrun export: {"torchrun": {...}, "script": str, "script_args": {...},
    "nnodes", "nproc_per_node", "world_size", "warnings"}."""
    tokens = _command(text)
    if not tokens or tokens[0] != "torchrun":
        raise ValueError("not a torchrun line")
    launcher: dict[str, Any] = {}
    i = 1
    while i < len(tokens) and tokens[i].startswith("--"):
        if tokens[i] in TORCHRUN_SWITCHES:
            launcher[tokens[i]] = True
            i += 1
        else:
            launcher[tokens[i]] = _value(tokens[i + 1])
            i += 2
    if i >= len(tokens):
        raise ValueError("no training script after the torchrun flags")
    script = tokens[i]
    nnodes, nproc = launcher.get("--nnodes"), launcher.get("--nproc-per-node")
    return {"torchrun": launcher, "script": script, "script_args": _flags(tokens[i + 1:]),
            "nnodes": nnodes, "nproc_per_node": nproc,
            "world_size": nnodes * nproc if isinstance(nnodes, int) and isinstance(nproc, int) else None,
            "warnings": _warnings_in(text)}


# ---------------------------------------------------------------- the command

def run_export(file: str, plan_name: str, target: str, output: str | None, out: TextIO, err: TextIO) -> int:
    """`capplan export FILE PLAN --to TARGET [-o OUT]` (capplan.cli parses the command line): compile FILE,
    export its plan PLAN to TARGET, write the text to OUT (atomically) or `out`, diagnostics and warnings
    to `err`.

    Exit status: 0 exported; 1 the specs have errors, the plan is unknown or of the wrong kind, or OUT
    cannot be written. An exception is a bug of ours (capplan.cli reports it, status 3).
    """
    comp = compile_files([file])
    items = comp.diagnostics.sorted()
    if items:
        err.write(render_all(items, comp.program.sources, False) + "\n\n")
    if comp.failed:
        err.write(f"capplan: nothing exported: {file} has errors\n")
        return EXIT_USER
    plans = {p["name"]: p for p in comp.plans}
    plan = plans.get(plan_name)
    if plan is None:
        listing = ", ".join(f"{n} ({p['kind']})" for n, p in sorted(plans.items())) or "none"
        obj = comp.checked.objects.get(plan_name) if comp.checked else None
        searches = {getattr(x, "name", None) for x in (getattr(comp.checked, "searches", None) or [])}
        if obj is not None:
            what = f"`{plan_name}` is a {obj.kind}, not a plan"
        elif plan_name in searches:
            what = (f"`{plan_name}` is a search, not a plan: write the layout you choose as a training "
                    "plan and export that")
        else:
            what = f"no plan `{plan_name}` in {file}"
        err.write(f"capplan: {what}; plans: {listing}\n")
        return EXIT_USER
    obj = comp.checked.objects.get(plan_name) if comp.checked else None
    details = declaration_details(obj) if obj is not None and obj.kind == plan["kind"] else None
    try:
        result = export(plan, target, details)
    except ExportError as exc:
        err.write(f"capplan: {exc}\n")
        return EXIT_USER
    for w in result.warnings:
        err.write(f"capplan: warning: {w}\n")
    if output:
        try:
            write_atomically(output, result.text)
        except OSError as exc:
            err.write(f"capplan: cannot write {output}: {exc.strerror or exc}\n")
            return EXIT_USER
    else:
        out.write(result.text)
    return EXIT_OK
