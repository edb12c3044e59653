"""The `model` block an import writes: the fields, their sources as comments, laid out by `capplan fmt`.

This module only says what the block contains (header comments, notes, one `field = value  # source`
line per field, the `mla { }`, `moe { }` and `mamba { }` sub-blocks, in schema order); the layout -- indentation,
`=` alignment, the column of trailing comments -- is the formatter's (capplan.lang.formatter,
`format_source`), so an imported file passes `capplan fmt --check` as written.
"""

from __future__ import annotations

import textwrap
from typing import Any

from capplan.check.schema import MAMBA, MLA, MODEL, MOE
from capplan.lang.formatter import format_source
from capplan.tools.import_hf.context import Family, ImportContext

QUANTITIES = {"max_seq": "tokens", "sliding_window": "tokens"}   # fields written with their unit
QUOTED = ("name", "source", "pattern")                           # string fields (the others are enums)
NOTE_WIDTH = 96   # columns of a wrapped note's text


def spec_value(name: str, value: Any) -> str:
    """A field's value as .plan source text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        if name in QUOTED:
            escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
            return f'"{escaped}"'
        return value
    if isinstance(value, float):
        if value == int(value) and name not in ("dropout", "attention_dropout"):
            return str(int(value))
        return repr(value)
    if name in QUANTITIES:
        return f"{value} {QUANTITIES[name]}"
    return str(value)


def _assignment(name: str, value: Any, comment: str) -> str:
    line = f"{name} = {spec_value(name, value)}"
    return f"{line}  # {comment}" if comment else line


def _entries(fields: dict[str, tuple[Any, str]], schema) -> list[str]:
    return [_assignment(n, *fields[n]) for n in schema.fields if n in fields]


def model_block(name: str, ctx: ImportContext, family: Family, source: str | None) -> str:
    """The `model NAME { ... }` source of one import, in `capplan fmt`'s canonical layout."""
    shown = " ".join((source or "a Hugging Face config.json").split())
    lines = [
        f"# Imported by `capplan import-hf` from {shown}",
        f"# model_type = \"{ctx.model_type}\": transformers {family.hf_class} ({family.modeling})",
        f"model {name} {{",
    ]
    for kind, text in ctx.notes:
        wrapped = textwrap.wrap(f"{kind} {text}", width=NOTE_WIDTH, break_on_hyphens=False,
                                break_long_words=False)
        lines += ["# " + wrapped[0]] + ["#     " + w for w in wrapped[1:]]
    blocks = {"mla": (ctx.mla, MLA), "moe": (ctx.moe, MOE), "mamba": (ctx.mamba, MAMBA)}
    for n in MODEL.fields:
        if n in ctx.fields:
            lines.append(_assignment(n, *ctx.fields[n]))
        elif n in blocks and blocks[n][0]:
            lines += [f"{n} {{", *_entries(*blocks[n]), "}"]
    lines.append("}")
    text = "\n".join(lines) + "\n"
    formatted, diagnostics = format_source(text, f"{name}.plan")
    if formatted is None:  # the block says something the parser refuses: our bug
        raise ValueError(f"import-hf wrote an unparsable block for {name}: "
                         + "; ".join(d.message for d in diagnostics.items))
    return formatted
