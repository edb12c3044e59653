"""Phases 3-4: resolve names, merge `from` bases, check fields and units, lower.

Input: the parsed files of a :class:`~capplan.check.loader.Program`. Output: a
:class:`Checked` holding every declaration lowered to an :class:`Obj` whose
fields are plain Python values in canonical units (bytes, seconds, FLOP...).
Results never depend on declaration order: declarations are lowered on
demand, memoised, and reported in name order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from capplan.lang import ast
from capplan.check.coercion import INVALID, CoercionMixin
from capplan.core.diagnostics import Diagnostics, Label, did_you_mean
from capplan.check.expressions import ExpressionsMixin, Unresolved
from capplan.check.loader import Program, is_catalog
from capplan.check.schema import BLOCK, KINDS, QUANTITY, RESULTS, BlockSchema
from capplan.check.units import table
from capplan.check.values import Bool, Num, Obj, Requirement, fmt_quantity
from capplan.check.units import dims_of
from capplan.check.validate import validate_declaration


# ----------------------------------------------------------- effective blocks

@dataclass
class EBlock:
    """A block after `from` merging: the last word on each field."""

    name: str
    span: object
    fields: dict = field(default_factory=dict)       # name -> ast.Assignment | EBlock
    requires: list = field(default_factory=list)     # ast.Require
    other: list = field(default_factory=list)        # ast.Vary | ast.Objective
    drops: list = field(default_factory=list)        # ast.DropRequire


def report_set_twice(d: Diagnostics, what: str, span, first_span) -> None:
    """E0207: a block says the same thing twice (`what`, e.g. "`gpu` is set"); the first one stands."""
    d.error("E0207", f"{what} twice", span, label="set again here", secondary=(Label(first_span, "first set here"),),
            hint="remove one of them")


def _eblock(name: str, block: ast.Block, d: Diagnostics) -> EBlock:
    out = EBlock(name, block.span)
    first: dict[str, object] = {}
    for entry in block.entries:
        if isinstance(entry, (ast.Assignment, ast.SubBlock)):
            if entry.name in first:
                report_set_twice(d, f"`{entry.name}` is set", entry.name_span, first[entry.name].name_span)
                continue
            first[entry.name] = entry
            out.fields[entry.name] = (_eblock(entry.name, entry.body, d)
                                      if isinstance(entry, ast.SubBlock) else entry)
        elif isinstance(entry, ast.Require):
            out.requires.append(entry)
        elif isinstance(entry, ast.DropRequire):
            out.drops.append(entry)
        else:
            out.other.append(entry)
    return out


def condition_shape(node) -> object:
    """An expression without its positions: two `require` conditions written alike have equal shapes."""
    if isinstance(node, (tuple, list)):
        return tuple(condition_shape(x) for x in node)
    if hasattr(node, "__dict__") and type(node).__module__ == ast.__name__:
        return (type(node).__name__,) + tuple((k, condition_shape(v)) for k, v in sorted(vars(node).items())
                                              if not k.endswith("span") and k != "text")
    return node


def _merge(base: EBlock, child: EBlock) -> tuple[EBlock, list]:
    """`from`: the child's fields over the base's; the base's `require` lines, less those the child drops,
    then the child's own. Returns the merged block and the child's `drop require` lines that match no
    inherited requirement."""
    inherited, unmatched = list(base.requires), []
    for drop in child.drops:
        shape = condition_shape(drop.condition)
        found = [r for r in inherited if condition_shape(r.condition) == shape]
        if found:
            inherited = [r for r in inherited if r is not found[0]]
        else:
            unmatched.append(drop)
    out = EBlock(child.name, child.span, dict(base.fields), inherited + list(child.requires), list(child.other))
    for name, value in child.fields.items():
        old = out.fields.get(name)
        if isinstance(value, EBlock) and isinstance(old, EBlock):
            out.fields[name], more = _merge(old, value)
            unmatched += more
        else:
            out.fields[name] = value
    return out, unmatched


@dataclass
class Checked:
    objects: dict[str, Obj]
    workloads: list[Obj]             # training and inference declarations of the user's files
    searches: list[ast.Declaration]
    requirements: dict[str, list[Requirement]]


class Checker(ExpressionsMixin, CoercionMixin):
    def __init__(self, program: Program, diagnostics: Diagnostics):
        self.program = program
        self.d = diagnostics
        self.decls: dict[str, ast.Declaration] = {}
        self.consts: dict[str, ast.Const] = {}
        self.lowered: dict[str, Obj | None] = {}
        self.effective_memo: dict[str, EBlock | None] = {}
        self.const_memo: dict[str, object] = {}
        self.active: list[str] = []
        self.require_origin: dict[int, str] = {}  # id of an ast.Require -> the declaration it is written in

    # ------------------------------------------------------------- scope
    def collect(self) -> None:
        user_names: dict[str, ast.Item] = {}
        for file in self.program.files + self.program.catalog:
            catalog = is_catalog(file.path)
            for item in file.items:
                if isinstance(item, ast.Import):
                    continue
                name = item.name
                if isinstance(item, ast.Declaration) and item.kind not in KINDS:
                    close = did_you_mean(item.kind, KINDS)
                    self.d.error("E0203", f"unknown declaration kind `{item.kind}`", item.kind_span,
                                 label="not a kind of declaration",
                                 notes=("kinds: " + ", ".join(KINDS),),
                                 hint=f"did you mean `{close}`?" if close else None)
                previous = self.decls.get(name) or self.consts.get(name)
                if previous is not None:
                    prev_catalog = is_catalog(previous.name_span.path)
                    if catalog and not prev_catalog:
                        self.d.error("W0101", f"`{name}` shadows the standard catalog's `{name}`",
                                     previous.name_span, label="this declaration is used",
                                     notes=(f"catalog entry: {item.name_span.path}",),
                                     hint=f"rename it, or write `{getattr(previous, 'kind', 'model')} "
                                          f"{name}_custom from {name} {{ ... }}`")
                        continue
                    self.d.error("E0202", f"`{name}` is declared twice", item.name_span,
                                 label="declared again here",
                                 secondary=(Label(previous.name_span, "first declared here"),),
                                 hint="rename one of them, or derive one from the other with `from`")
                    continue
                if isinstance(item, ast.Const):
                    self.consts[name] = item
                else:
                    self.decls[name] = item
                if not catalog:
                    user_names[name] = item

    def eblock(self, name: str, block: ast.Block) -> EBlock:
        return _eblock(name, block, self.d)

    # ------------------------------------------------- `from` inheritance
    def effective(self, name: str) -> EBlock | None:
        if name in self.effective_memo:
            return self.effective_memo[name]
        decl = self.decls[name]
        if name in self.active:
            self.d.error("E0205", f"`{name}` derives from itself", decl.base.span if decl.base else
                         decl.name_span, label="through this `from`",
                         notes=("chain: " + " -> ".join(self.active[self.active.index(name):] + [name]),))
            return None
        self.active.append(name)
        try:
            own = _eblock(decl.kind, decl.body, self.d)
            for entry in decl.body.entries:
                if isinstance(entry, ast.Require):
                    self.require_origin[id(entry)] = name
            result, unmatched = own, list(own.drops)
            if decl.base is not None:
                base_name = decl.base.parts[0]
                base = self.decls.get(base_name)
                if base is None or len(decl.base.parts) > 1:
                    self._unknown(decl.base.dotted, decl.base.span, self.decls)
                    result = None
                elif base.kind != decl.kind:
                    self.d.error("E0206", f"{decl.kind} `{name}` cannot derive from {base.kind} "
                                 f"`{base_name}`", decl.base.span, label=f"this is a {base.kind}",
                                 secondary=(Label(base.name_span, f"{base.kind} declared here"),),
                                 hint=f"a {decl.kind} derives from another {decl.kind}")
                    result = None
                else:
                    base_block = self.effective(base_name)
                    result, unmatched = _merge(base_block, own) if base_block is not None else (None, [])
            self._unmatched_drops(decl, unmatched)
        finally:
            self.active.pop()
        self.effective_memo[name] = result
        return result

    def _unmatched_drops(self, decl: ast.Declaration, drops: list) -> None:
        """E0605: a `drop require` that names no requirement the plan inherits."""
        if not drops:
            return
        base = self.effective_memo.get(decl.base.parts[0]) if decl.base is not None else None
        written = [r for r in (base.requires if base is not None else [])]
        for drop in drops:
            if decl.base is None:
                self.d.error("E0605", "`drop require` in a declaration without `from`", drop.span,
                             label="there is no inherited requirement to drop",
                             hint=f"delete this line, or derive `{decl.name}` from a base: "
                                  f"`{decl.kind} {decl.name} from BASE {{ ... }}`")
                continue
            self.d.error("E0605", f"`{decl.name}` inherits no requirement written like this", drop.span,
                         label="matches no `require` line of the base",
                         secondary=tuple(Label(r.span, "inherited") for r in written[:3]),
                         notes=() if written else (f"`{decl.base.parts[0]}` has no `require` lines",),
                         hint="write the condition as the base's `require` line writes it")

    # ------------------------------------------------------------ lowering
    def lower(self, name: str) -> Obj | None:
        if name in self.lowered:
            return self.lowered[name]
        decl = self.decls[name]
        schema = KINDS.get(decl.kind)
        block = self.effective(name)
        if schema is None or block is None:
            self.lowered[name] = None
            return None
        key = "lower:" + name
        if key in self.active:
            self.d.error("E0205", f"`{name}` refers to itself", decl.name_span,
                         label="in this declaration")
            return None
        self.active.append(key)
        try:
            obj = self.lower_block(block, schema, decl.kind, name, decl.name_span)
        finally:
            self.active.pop()
        if obj is not None:

            validate_declaration(obj, self.d)
        self.lowered[name] = obj
        return obj

    def lower_block(self, block: EBlock, schema: BlockSchema, kind: str, name: str,
                    anchor, absent: bool = False) -> Obj:
        fields, spans, dims = {}, {}, {}
        invalid = False
        for fname, entry in block.fields.items():
            spec = schema.fields.get(fname)
            name_span = entry.name_span if isinstance(entry, ast.Assignment) else entry.span
            if spec is None:
                close = did_you_mean(fname, schema.fields)
                self.d.error("E0401", f"{schema.name} has no field `{fname}`", name_span,
                             label="unknown field",
                             notes=("fields: " + ", ".join(schema.fields),) if len(schema.fields) < 40
                             else (),
                             hint=f"did you mean `{close}`?" if close else None)
                continue
            if spec.type == BLOCK:
                if not isinstance(entry, EBlock):
                    self.d.error("E0403", f"`{fname}` is a block", entry.span,
                                 label="a value is given", hint=f"write `{fname} {{ ... }}`")
                    continue
                fields[fname] = self.lower_block(entry, spec.block, fname, fname, entry.span)
                spans[fname] = entry.span
                invalid |= fields[fname].fields.get("_invalid", False)
                continue
            if isinstance(entry, EBlock):
                self.d.error("E0403", f"`{fname}` takes a value, not a block", entry.span,
                             label="a block is given", hint=f"write `{fname} = {spec.example or '...'}`")
                continue
            value, vdims = self.coerce(spec, entry.value, fname)
            invalid |= value is INVALID
            if value is INVALID:
                fields[fname] = None  # reported already; the declaration is marked invalid
            if spec.type == QUANTITY and isinstance(entry.value, ast.Quantity) and entry.value.unit:
                fields["_unit_" + fname] = entry.value.unit  # reports show figures in the author's units
            if value is not INVALID:
                fields[fname] = value
                spans[fname] = entry.value.span
                if vdims is not None:
                    dims[fname] = vdims
        for fname, spec in schema.fields.items():
            if fname in fields:
                continue
            if spec.required and not absent and fname not in block.fields:
                invalid = True
                example = f"`{fname} = {spec.example}`" if spec.example else f"`{fname} = ...`"
                self.d.error("E0402", f"{schema.name} `{name}` is missing `{fname}`", anchor,
                             label=f"needs `{fname}`", notes=(f"{fname}: {spec.doc}",),
                             hint=f"add {example}")
            if fname in block.fields and fname in fields:
                continue  # given but invalid: reported already, no default in its place
            if spec.type == BLOCK:
                fields[fname] = self.lower_block(EBlock(fname, None), spec.block, fname, fname, anchor,
                                                 absent=True)
            else:
                fields.setdefault(fname, spec.default)
                if spec.dims and spec.default is not None:
                    dims.setdefault(fname, spec.dims[0])
        fields["_invalid"] = invalid
        obj = Obj(kind, name, anchor, fields, spans, dims)
        if kind in ("training", "inference"):
            obj.fields["_requires"] = block.requires
        return obj

    # --------------------------------------------------------- expressions
    def run(self) -> Checked:
        self.collect()
        user_files = {f.path for f in self.program.files}
        workloads, searches, requirements = [], [], {}
        for name in sorted(self.decls):
            decl = self.decls[name]
            in_user = decl.name_span.path in user_files
            if not in_user and not self.program.files:
                self.lower(name)  # checking the catalog itself
                continue
            if not in_user:
                continue
            if decl.kind in ("search", "goal"):
                searches.append(decl)
                continue
            obj = self.lower(name)
            if obj is not None and decl.kind in ("training", "inference"):
                workloads.append(obj)
                requirements[name] = self._requirements(obj)
        for name in sorted(self.consts):
            if self.consts[name].name_span.path in user_files:
                try:
                    self._const(name)
                except Unresolved:
                    pass
        objects = {n: o for n, o in self.lowered.items() if o is not None}
        table().save()
        return Checked(objects, workloads, searches, requirements)

    def search_target(self, search: ast.Declaration) -> bool:
        """A search names the training plan it explores: `search NAME for PLAN`."""
        if search.target is None:
            self.d.error("E0402", f"search `{search.name}` names no plan", search.name_span,
                         label="needs `for PLAN`", hint=f"write `search {search.name} for my_training {{ ... }}`")
            return False
        name = search.target.parts[0]
        target = self.decls.get(name)
        if target is None:
            pool = [n for n, d in self.decls.items() if d.kind == "training"]
            close = did_you_mean(name, pool)
            self.d.error("E0201", f"unknown training plan `{name}`", search.target.span,
                         label="no plan has this name", hint=f"did you mean `{close}`?" if close else None)
            return False
        wanted = ("training",) if search.kind == "search" else ("training", "inference")
        if target.kind not in wanted:
            self.d.error("E0204", f"a {search.kind} needs a {' or '.join(wanted)} plan, but `{name}` is a "
                         f"{target.kind}",
                         search.target.span, label=f"this is a {target.kind}",
                         secondary=(Label(target.name_span, f"{target.kind} declared here"),))
            return False
        return True

    def _unknown_results(self, expr, names) -> bool:
        """Report refs in a `require` that name no result, constant or declaration (E0602)."""
        ok = True
        if isinstance(expr, ast.Ref):
            head = expr.parts[0]
            if head not in names and head not in self.consts and head not in self.decls:
                close = did_you_mean(head, names)
                self.d.error("E0602", f"`{head}` is not a result of this plan", expr.span,
                             label="unknown result", notes=("results: " + ", ".join(names),),
                             hint=f"did you mean `{close}`?" if close else None)
                return False
            return True
        for child in ("left", "right", "operand"):
            sub = getattr(expr, child, None)
            if sub is not None:
                ok &= self._unknown_results(sub, names)
        return ok

    def _requirements(self, obj: Obj) -> list[Requirement]:
        """Type-check each `require` against the result names of the workload kind."""
        names = RESULTS[obj.kind]
        symbolic = {n: (Bool(None) if dims == "bool" else Num(None, _dims(dims)))
                        for n, (dims, _doc) in names.items()}
        out = []
        for req in obj.fields.get("_requires", []):
            cond = req.condition
            if not self._unknown_results(cond, names):
                continue
            try:
                value = self.evaluate(cond, symbolic)
                if not isinstance(value, Bool):
                    self.d.error("E0403", "a requirement must be a condition", cond.span,
                                 label="this is not true or false",
                                 hint="compare it: `require peak_memory <= 72 GiB`")
                    continue
            except Unresolved:
                continue
            origin = self.require_origin.get(id(req), obj.name)
            out.append(Requirement(cond, req.span, "", "" if origin == obj.name else origin))
        return out

    def check_requirement(self, req: Requirement, results: dict) -> Bool:
        try:
            value = self.evaluate(req.condition, results)
        except Unresolved:
            return Bool(None)
        return value


def _dims(text: str):

    return dims_of(text)


def check(program: Program, diagnostics: Diagnostics) -> tuple[Checked, Checker]:
    checker = Checker(program, diagnostics)
    return checker.run(), checker


__all__ = ["check", "Checked", "Checker", "fmt_quantity"]
