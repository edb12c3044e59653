"""`capplan import-hf CONFIG.json`: read a Hugging Face config.json, map it through its family's
mapper (capplan.tools.import_hf.registry) and write the `model` block (capplan.tools.import_hf.block).

The package docstring (capplan.tools.import_hf) says how every key of a config is accounted for.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass, field
from typing import Any

from capplan.core.atomic import STDOUT, write_atomically
from capplan.core.exits import EXIT_OK, EXIT_USER, EXIT_USAGE
from capplan.core.source import read_config
from capplan.tools.import_hf.block import model_block
from capplan.tools.import_hf.common import COMMON_IGNORED
from capplan.tools.import_hf.context import ConfigError, ImportContext
from capplan.tools.import_hf.registry import ARCHITECTURES, BY_MODEL_TYPE, SUPPORTED

KEYWORDS = {"import", "const", "from", "for", "require", "vary", "in", "minimize", "maximize", "true",
            "false", "not", "and", "or"}


@dataclass
class ImportResult:
    text: str = ""
    warnings: list[tuple[str, str]] = field(default_factory=list)   # (key, message)
    unmapped: list[str] = field(default_factory=list)                # keys, sorted
    mapped: list[str] = field(default_factory=list)                  # keys read into fields (or noted), sorted
    ignored: list[tuple[str, str]] = field(default_factory=list)     # (key, reason)
    error: str | None = None
    model_type: str | None = None
    hf_class: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)            # emitted values (moe/mla/mamba: dicts)

    @property
    def ok(self) -> bool:
        return self.error is None


def sanitize_name(raw: str) -> str:
    """A declaration name from a repository id or path: `meta-llama/Llama-2-7b-hf` -> `llama_2_7b_hf`."""
    base = raw.strip().rstrip("/\\")
    # a hub cache path: .../models--org--name/snapshots/<hash> -> name
    cached = re.search(r"models--[^/\\]+--([^/\\]+)", base)
    base = cached.group(1) if cached else (re.split(r"[/\\]", base)[-1] if base else "")
    ident = re.sub(r"[^A-Za-z0-9_]+", "_", base).strip("_").lower()
    ident = re.sub(r"_+", "_", ident)
    if not ident:
        ident = "imported_model"
    if ident[0].isdigit():
        ident = "m_" + ident
    if ident in KEYWORDS:
        ident += "_model"
    return ident


def _resolve_model_type(config: dict, override: str | None) -> tuple[str | None, str | None]:
    if override:
        return override, None
    mt = config.get("model_type")
    if isinstance(mt, str) and mt:
        return mt, None
    archs = config.get("architectures") or []
    if isinstance(archs, list):
        for a in archs:
            if isinstance(a, str) and a in ARCHITECTURES:
                return ARCHITECTURES[a], f"model_type absent: taken from architectures ({a})"
    return None, None


def import_config(config: dict, name: str, source: str | None = None,
                  model_type: str | None = None) -> ImportResult:
    """Translate one config.json (a dict) into a `model NAME { ... }` block."""
    if not isinstance(config, dict):
        return ImportResult(error="the config must be a JSON object")
    mt, inferred = _resolve_model_type(config, model_type)
    supported = ", ".join(SUPPORTED)
    if "model_type" in config and not model_type and not isinstance(config["model_type"], str):
        return ImportResult(error=f"model_type = {json.dumps(config['model_type'])}: expected a string (supported: "
                                  f"{supported})")
    if mt is None:
        return ImportResult(error=f"the config has no model_type (and no known architectures); give one with "
                                  f"--model-type (supported: {supported})")
    if mt not in BY_MODEL_TYPE:
        return ImportResult(model_type=mt, error=f"model_type {mt!r} is not supported; supported model types: "
                                                 f"{supported}")
    name = sanitize_name(name)
    family = BY_MODEL_TYPE[mt]
    hf_class = family.hf_class
    ctx = ImportContext(config, family)
    ctx.accounted.add("model_type")
    if inferred:
        ctx.notes.append(("NOTE", inferred))
    published = config.get("_name_or_path")
    ctx.accounted.add("_name_or_path")
    try:
        family.mapper(ctx)
        _consistent(ctx)
    except ConfigError as exc:
        return ImportResult(model_type=mt, hf_class=hf_class, error=f"{mt} config: {exc}")
    # classify what is left
    ctx.ignore(COMMON_IGNORED)
    if "is_encoder_decoder" in config:
        ctx.ignore_if("is_encoder_decoder", False, "not an encoder-decoder model",
                      "an encoder-decoder model has no model field")
    if "quantization_config" in config:
        ctx.accounted.add("quantization_config")
        q = config["quantization_config"]
        method = q.get("quant_method", "?") if isinstance(q, dict) else "?"
        detail = ", ".join(f"{k} {json.dumps(v)}" for k, v in sorted(q.items()) if k != "quant_method") \
            if isinstance(q, dict) else json.dumps(q)
        ctx.warn("quantization_config", f"the checkpoint is quantized ({method}: {detail}); a model block counts "
                                        "the unquantized architecture: give the weight format in the plan "
                                        "(e.g. `weights = fp8` in an inference plan)", note=True)
    archs = config.get("architectures")
    if isinstance(archs, list) and archs and hf_class not in archs:
        ctx.warn("architectures", f"names {', '.join(map(str, archs))}; capplan counts {hf_class} ({family.head})",
                 note=True)
    for key in sorted(config):
        if key not in ctx.accounted:
            ctx.unmapped[key] = (f"unknown to the {mt} importer: check whether it changes parameters or memory "
                                 "(the block is built without it)")
            ctx.warnings.append((key, "unmapped: " + ctx.unmapped[key]))
            shown = json.dumps(config[key], sort_keys=True)
            shown = shown if len(shown) <= 40 else shown[:37] + "..."
            ctx.notes.append(("UNMAPPED", f"{key} = {shown}: not known to the {mt} importer"))
    if isinstance(published, str) and published:
        ctx.fields["name"] = (published, "")
    if source:
        ctx.fields["source"] = (source, "")
    text = model_block(name, ctx, family, source)
    fields: dict[str, Any] = {k: v for k, (v, _) in ctx.fields.items()}
    if ctx.mla:
        fields["mla"] = {k: v for k, (v, _) in ctx.mla.items()}
    if ctx.moe:
        fields["moe"] = {k: v for k, (v, _) in ctx.moe.items()}
    if ctx.mamba:
        fields["mamba"] = {k: v for k, (v, _) in ctx.mamba.items()}
    mapped = sorted(k for k in config if k in ctx.accounted and k not in ctx.ignored and k not in ctx.unmapped)
    return ImportResult(text=text, warnings=ctx.warnings, unmapped=sorted(ctx.unmapped), mapped=mapped,
                        ignored=sorted(ctx.ignored.items()), model_type=mt, hf_class=hf_class, fields=fields)


def _consistent(ctx: ImportContext) -> None:
    """What transformers' modules (or capplan's checker) would reject, as a clear import error."""
    f = {k: v for k, (v, _) in ctx.fields.items()}
    heads, kv = f.get("heads"), f.get("kv_heads")
    if heads and kv and heads % kv:
        raise ConfigError(f"{heads} attention heads are not a multiple of {kv} key/value heads")
    if "head_dim" in f and f["head_dim"] < 1:
        raise ConfigError(f"hidden size {f['hidden']} is smaller than {heads} heads: no whole head size")
    for name in ("dropout", "attention_dropout"):
        if name in f and not 0 <= f[name] <= 1:
            raise ConfigError(f"a dropout probability of {f[name]:g} is not between 0 and 1")
    moe = {k: v for k, (v, _) in ctx.moe.items()}
    if moe and moe["experts_per_token"] > moe["experts"]:
        raise ConfigError(f"{moe['experts_per_token']} experts per token but only {moe['experts']} experts")


# ------------------------------------------------------------------ command line

class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def __init__(self, out, err, **kw):
        super().__init__(**kw)
        self._out, self._err = out, err

    def error(self, message):  # noqa: D401 - argparse hook
        raise _UsageError(message)

    def print_help(self, file=None):
        super().print_help(self._out)

    def exit(self, status=0, message=None):
        if message:
            self._err.write(message)
        raise SystemExit(status)


def _parser(out, err) -> _Parser:
    ap = _Parser(out, err, prog="capplan import-hf",
                 description="Translate a Hugging Face config.json into a capplan `model` block.")
    ap.add_argument("config", metavar="CONFIG.json", help="the config.json (or a directory holding one)")
    ap.add_argument("--name", help="declaration name (default: from _name_or_path, else the file name)")
    ap.add_argument("-o", "--output", metavar="OUT.plan", help="write the block to a file (atomically; `-`: stdout)")
    ap.add_argument("--strict", action="store_true", help="unmapped keys are an error (exit 1)")
    ap.add_argument("--model-type", help="the model_type, for configs that lack it (e.g. GPT-2's first config)")
    ap.add_argument("--show-ignored", action="store_true",
                    help="also list the keys ignored as having no effect on parameters or memory")
    return ap


def default_name(config: dict, path: str) -> str:
    published = config.get("_name_or_path")
    if isinstance(published, str) and published.strip().strip("/\\"):
        return sanitize_name(published)
    stem = os.path.splitext(os.path.basename(os.path.abspath(path)))[0]
    if stem == "config":  # .../Llama-2-7b-hf/config.json -> the folder's name
        parent = os.path.basename(os.path.dirname(os.path.abspath(path)))
        stem = parent or stem
    return sanitize_name(stem)


def main(argv: list[str] | None = None, out=None, err=None) -> int:
    """`capplan import-hf CONFIG.json [--name NAME] [-o OUT.plan] [--strict] [--model-type T] [--show-ignored]`.

    Exit status: 0 written; 1 unreadable or invalid config, unsupported model_type, unmapped keys under
    --strict, or the output could not be written; 2 usage errors.
    """
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    prog = "capplan import-hf"
    try:
        args = _parser(out, err).parse_args(argv)
    except _UsageError as exc:
        err.write(f"usage: {prog} CONFIG.json [--name NAME] [-o OUT.plan] [--strict]\n{prog}: error: {exc}\n")
        return EXIT_USAGE
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    if args.output == STDOUT:
        args.output = None
    path = args.config
    if os.path.isdir(path):
        path = os.path.join(path, "config.json")
    try:
        raw = read_config(path)      # a regular file within the config size limit; a FIFO never blocks
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        err.write(f"{prog}: error: cannot read {path}: {reason}\n")
        return EXIT_USER
    try:
        config = json.loads(raw)
    except json.JSONDecodeError as exc:
        err.write(f"{prog}: error: {path} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}\n")
        return EXIT_USER
    except RecursionError:
        err.write(f"{prog}: error: {path} is nested too deeply to read\n")
        return EXIT_USER
    if not isinstance(config, dict):
        err.write(f"{prog}: error: {path} holds a JSON {type(config).__name__}, not an object; a config.json "
                  "is an object of keys\n")
        return EXIT_USER
    name = sanitize_name(args.name) if args.name else default_name(config, path)
    if args.name and name != args.name:
        err.write(f"{prog}: note: --name {args.name!r} is not an identifier; using {name}\n")
    result = import_config(config, name, source=args.config, model_type=args.model_type)
    if result.error:
        err.write(f"{prog}: error: {path}: {result.error}\n")
        return EXIT_USER
    for key, message in result.warnings:
        err.write(f"{prog}: warning: {key}: {message}\n")
    if args.show_ignored:
        for key, reason in result.ignored:
            err.write(f"{prog}: ignored: {key}: {reason}\n")
    if result.unmapped and args.strict:
        err.write(f"{prog}: error: --strict: {len(result.unmapped)} unmapped key"
                  f"{'s' * (len(result.unmapped) != 1)}: {', '.join(result.unmapped)}"
                  + (f"; {args.output} not written" if args.output else "") + "\n")
        return EXIT_USER
    if args.output:
        try:
            write_atomically(args.output, result.text)
        except OSError as exc:
            err.write(f"{prog}: error: cannot write {args.output}: {exc.strerror or exc}\n")
            return EXIT_USER
        err.write(f"{prog}: wrote model `{name}` to {args.output}\n")
    else:
        out.write(result.text)
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
