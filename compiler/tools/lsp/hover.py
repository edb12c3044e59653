"""Hover: what the word under the cursor is and, from the newest compilation, what it amounts to.

A declaration's name or a reference to it (a model's exact parameter count; a plan's
verdict and peak memory per GPU; a GPU's memory and bandwidth; ...), a field name (its doc,
type, unit, default and choices), a quantity (its value in canonical units), a constant (its
value), a declaration kind, a `require` result name, `name.field` (the field's value).
"""

from __future__ import annotations

from capplan.check.schema import BLOCK, ENUM, FORMAT, KINDS, RATE, REF, RESULTS
from capplan.check.units import dims_of
from capplan.check.values import Format, Obj, fmt_quantity
from capplan.engine.evaluate import evaluate_model
from capplan.ir.lower import lower_model
from capplan.lang.lexer import NAME_KINDS, NUMBER_KINDS, STRING_KINDS, Kind
from capplan.tools.lsp.context import context_at, dotted, lex, stmt_start, token_at
from capplan.tools.lsp.docs import field_doc, kind_doc, quantity_doc
from capplan.tools.lsp.documents import Analysis, for_values
from capplan.tools.lsp.values import decl_label, lowered, scratch, show_value, where

INFO = dims_of("information")
PARAMS = dims_of("parameter")
TOKENS = dims_of("token")


def decl_doc(analysis: Analysis, name: str) -> str | None:
    """A declaration: its kind, display name and where; then what it amounts to."""
    checker = analysis.comp.checker
    decl = checker.decls.get(name) if checker else None
    if decl is None:
        return None
    label = decl_label(decl)
    lines = [f"**{decl.kind}** `{name}`" + (f" — {label}" if label else ""),
             "", f"declared in {where(decl, analysis)}"
             + (f", from `{decl.base.dotted}`" if decl.base is not None else "")]
    if decl.kind == "search":
        lines.append("")
        lines.append("a layout search: parsed and checked, not evaluated yet")
        return "\n".join(lines)
    obj = lowered(checker, name)
    if obj is None:
        lines.append("")
        lines.append("_not evaluated: the declaration has errors_")
        return "\n".join(lines)
    extra = _decl_extra(analysis, decl.kind, obj)
    if extra:
        lines.append("")
        lines += extra
    return "\n".join(lines)


def _decl_extra(analysis: Analysis, kind: str, obj: Obj) -> list[str]:
    if kind == "model":
        return _model_lines(obj)
    if kind == "gpu":
        out = []
        if obj.get("memory"):
            out.append(f"memory: {show_value(obj.memory, INFO, obj.get('_unit_memory'))}")
        if obj.get("memory_usable"):
            out.append(f"usable: {show_value(obj.memory_usable, INFO, obj.get('_unit_memory_usable'))}")
        if obj.get("memory_bandwidth"):
            out.append(f"memory bandwidth: {fmt_quantity(obj.memory_bandwidth, dims_of(RATE), 'TB/s')}")
        peak = obj.fields.get("peak")
        if isinstance(peak, Obj):
            for p in ("bf16", "fp8"):
                if peak.get(p):
                    out.append(f"dense {p} peak: {fmt_quantity(peak.get(p), dims_of('compute/time'))}")
        return [f"- {line}" for line in out]
    if kind == "cluster":
        gpu = obj.fields.get("gpu")
        gpu_name = gpu.name if isinstance(gpu, Obj) else "?"
        per, nodes = obj.get("gpus_per_node"), obj.get("nodes")
        return [f"{nodes} node(s) x {per} x `{gpu_name}` = **{nodes * per} GPUs**" if per and nodes else
                f"GPU: `{gpu_name}`"]
    if kind == "precision":
        out = []
        for cls in ("weights", "gradients", "master_weights", "optimizer_states", "activations", "kv_cache"):
            value = obj.fields.get(cls)
            if value is not None:
                out.append(f"- {cls}: {value.label if isinstance(value, Format) else value}")
        return out
    if kind in ("training", "inference"):
        return _plan_lines(analysis, obj)
    return []


def _model_lines(obj: Obj) -> list[str]:
    try:
        params = evaluate_model(lower_model(obj))["params"]
    except Exception:
        return ["_parameters: not computable (the model has errors)_"]
    total = params["total"]
    if params.get("exact"):
        out = [f"parameters: **{total:,}** ({fmt_quantity(total, PARAMS)}), exact"]
        if params["active"] != total:
            out += ["", f"active per token: **{params['active']:,}** "
                        f"({fmt_quantity(params['active'], PARAMS)})"]
    else:
        out = [f"parameters: {total:,} ({fmt_quantity(total, PARAMS)}), as stated (no architecture)"]
    return out


def _plan(analysis: Analysis, name: str) -> dict | None:
    for plan in analysis.comp.plans:
        if plan["name"] == name:
            return plan
    return None


def _plan_lines(analysis: Analysis, obj: Obj) -> list[str]:
    model = obj.fields.get("model")
    plan = _plan(analysis, obj.name)
    if plan is None:
        return ["_not evaluated: the plan has errors_"]
    unit = plan["hardware"].get("memory_unit", "GiB")
    out = [f"**{plan['verdict']}**", ""]
    if isinstance(model, Obj):
        out.append(f"- model: `{model.name}`")
    out.append(f"- peak memory per GPU: **{fmt_quantity(plan['peak_bytes'], INFO, unit)}** "
               f"({plan['peak_bytes']:,.0f} B) on {plan['hardware']['gpus']} x `{plan['hardware']['gpu']}`")
    out.append(f"- headroom: {plan['headroom']:.1%}")
    for req in plan.get("requirements", []):
        out.append(f"- require `{req['text']}`: {'holds' if req['ok'] else '**fails**'}")
    return out


def result_doc(analysis: Analysis | None, kind: str, plan_name: str, name: str) -> str | None:
    results = RESULTS.get(kind, {})
    if name not in results:
        return None
    dims, doc = results[name]
    article = "an" if kind[:1] in "aeiou" else "a"
    lines = [f"**{name}** — result of {article} {kind} plan", "", doc]
    plan = _plan(analysis, plan_name) if analysis else None
    if plan is not None:
        value = _result_value(plan, name)
        if value is not None:
            lines += ["", f"this plan: **{value}**"]
    return "\n".join(lines)


def _result_value(plan: dict, name: str) -> str | None:
    unit = plan["hardware"].get("memory_unit", "GiB")
    if name == "fits":
        return str(plan["fits"]).lower()
    if name == "peak_memory":
        return fmt_quantity(plan["peak_bytes"], INFO, unit)
    if name == "headroom":
        return f"{plan['headroom']:.1%}"
    if name in ("params", "active_params"):
        n = plan["model"]["params"]["total" if name == "params" else "active"]
        return f"{n:,} ({fmt_quantity(n, PARAMS)})"
    if name == "gpus":
        return str(plan["hardware"]["gpus"])
    if name == "kv_cache":
        return fmt_quantity(plan["memory"]["kv_cache"], INFO, unit)
    if name == "max_batch":
        return str(plan["max_batch"])
    if name == "max_context":
        return fmt_quantity(plan["max_context"], TOKENS)
    if name == "kv_tokens":
        return fmt_quantity(plan["kv_capacity"]["tokens"], TOKENS)
    if name == "kv_blocks":
        return str(plan["kv_capacity"]["blocks"])
    return None


def const_doc(analysis: Analysis, name: str) -> str | None:
    checker = analysis.comp.checker
    const = checker.consts.get(name) if checker else None
    if const is None:
        return None
    value = checker.const_memo.get(name)
    if value is None:
        value = scratch(checker, checker._const, name)
    lines = [f"**const** `{name}`", "", f"declared in {where(const, analysis)}"]
    if value is not None:
        lines += ["", f"value: **{show_value(value)}**"]
    return "\n".join(lines)


def member_doc(analysis: Analysis, parts: list[str]) -> str | None:
    """`h100_sxm.memory`, `lab.gpu.memory_bandwidth`: the field's value and its doc."""
    checker = analysis.comp.checker
    if checker is None or parts[0] not in checker.decls:
        return None
    obj = lowered(checker, parts[0])
    schema = KINDS.get(checker.decls[parts[0]].kind)
    spec = None
    for part in parts[1:]:
        if not isinstance(obj, Obj) or schema is None:
            return None
        spec = schema.fields.get(part)
        if spec is None:
            return None
        value = obj.fields.get(part)
        if spec.type == REF and isinstance(value, Obj):
            obj, schema = value, KINDS.get(value.kind)
        elif spec.type == BLOCK:
            obj, schema = value, spec.block
        else:
            obj, schema = value, None
    if spec is None:
        return None
    lines = [f"`{'.'.join(parts)}`"]
    if obj is not None and not isinstance(obj, Obj):
        dims = spec.dims[0] if spec.dims else ()
        lines[0] += f" = **{show_value(obj, dims)}**"
    elif isinstance(obj, Obj):
        lines[0] += f" = {show_value(obj)}"
    else:
        lines[0] += " is not set"
    lines += ["", field_doc(spec, parts[-2])]
    return "\n".join(lines)


def hover_markdown(uri: str, text: str, offset: int) -> str | None:
    """The hover text at `offset` of `text` (the document), or None."""
    tokens = lex(text)
    i = token_at(tokens, offset)
    if i is None:
        return None
    tok = tokens[i]
    if tok.kind in STRING_KINDS:
        return None
    ctx = context_at(text, tok.start, tokens)
    analysis = for_values(uri)
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    prev = tokens[i - 1] if i > 0 else None

    # a quantity: the number and the unit written after it
    if tok.kind in NUMBER_KINDS or tok.kind is Kind.UNIT:
        if tok.kind in NUMBER_KINDS:
            number, unit = tok.text, nxt.text if nxt is not None and nxt.kind is Kind.UNIT else None
        else:
            number, unit = (prev.text if prev is not None and prev.kind in NUMBER_KINDS else "1"), tok.text
        return quantity_doc(number, unit)
    if tok.kind is Kind.KIND and not ctx.frames:
        return kind_doc(tok.text)
    if tok.kind is Kind.FIELD:
        if prev is not None and prev.text == "." and analysis is not None:
            return member_doc(analysis, dotted(tokens, i))
        schema = ctx.schema
        if schema is not None and tok.text in schema.fields:
            return field_doc(schema.fields[tok.text], ctx.frames[-1].label)
        return None
    if tok.kind not in NAME_KINDS or analysis is None:
        return None
    name = tok.text
    # a result name inside `require`
    start = stmt_start(tokens, i)
    if ctx.decl is not None and tokens[start].text == "require" and name not in (
            analysis.comp.checker.consts if analysis.comp.checker else {}):
        doc = result_doc(analysis, ctx.decl.label, ctx.decl.decl, name)
        if doc is not None:
            return doc
    if analysis.comp.checker is not None:
        if name in analysis.comp.checker.consts:
            return const_doc(analysis, name)
        if name in analysis.comp.checker.decls:
            return decl_doc(analysis, name)
    # an enum choice or a format: the field's documentation
    if ctx.schema is not None and tokens[start].kind is Kind.FIELD:
        spec = ctx.schema.fields.get(tokens[start].text)
        if spec is not None and spec.type in (ENUM, FORMAT):
            return f"`{name}`: a value of `{spec.name}`\n\n" + field_doc(spec, ctx.frames[-1].label)
    return None

