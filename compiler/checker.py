"""Phases 3-4: resolve names, merge `from` bases, check fields and units, lower.

Input: the parsed files of a :class:`~capplan.loader.Program`. Output: a
:class:`Checked` holding every declaration lowered to an :class:`Obj` whose
fields are plain Python values in canonical units (bytes, seconds, FLOP...).
Results never depend on declaration order: declarations are lowered on
demand, memoised, and reported in name order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import ast
from .diagnostics import Diagnostics, Label, did_you_mean
from .loader import Program, is_catalog
from .schema import (BLOCK, BOOL, COUNT, COUNTS, ENUM, FORMAT, FORMAT_OPTIONS, FORMATS, FRACTION,
                     KINDS, NUMBER, QUANTITY, REF, RESULTS, STRING, BlockSchema, Field)
from .units import DIMENSIONLESS, UnitError, describe, divide, multiply, table
from .values import Bool, Format, ListVal, Num, Obj, Requirement, Str, Word, fmt_quantity


# ----------------------------------------------------------- effective blocks

@dataclass
class EBlock:
    """A block after `from` merging: the last word on each field."""

    name: str
    span: object
    fields: dict = field(default_factory=dict)       # name -> ast.Assignment | EBlock
    requires: list = field(default_factory=list)     # ast.Require
    other: list = field(default_factory=list)        # ast.Vary | ast.Objective


def _eblock(name: str, block: ast.Block, d: Diagnostics) -> EBlock:
    out = EBlock(name, block.span)
    first: dict[str, object] = {}
    for entry in block.entries:
        if isinstance(entry, (ast.Assignment, ast.SubBlock)):
            if entry.name in first:
                d.error("E0207", f"`{entry.name}` is set twice", entry.name_span,
                        label="set again here",
                        secondary=(Label(first[entry.name].name_span, "first set here"),),
                        hint="remove one of them")
                continue
            first[entry.name] = entry
            out.fields[entry.name] = (_eblock(entry.name, entry.body, d)
                                      if isinstance(entry, ast.SubBlock) else entry)
        elif isinstance(entry, ast.Require):
            out.requires.append(entry)
        else:
            out.other.append(entry)
    return out


def _merge(base: EBlock, child: EBlock) -> EBlock:
    # `from` inherits configuration, not assertions: each plan states its own `require` lines
    out = EBlock(child.name, child.span, dict(base.fields), list(child.requires), list(child.other))
    for name, value in child.fields.items():
        old = out.fields.get(name)
        if isinstance(value, EBlock) and isinstance(old, EBlock):
            out.fields[name] = _merge(old, value)
        else:
            out.fields[name] = value
    return out


@dataclass
class Checked:
    objects: dict[str, Obj]
    workloads: list[Obj]             # training and inference declarations of the user's files
    searches: list[ast.Declaration]
    requirements: dict[str, list[Requirement]]


class _Unresolved(Exception):
    """Raised inside expression evaluation after a diagnostic was recorded."""


class Checker:
    def __init__(self, program: Program, diagnostics: Diagnostics):
        self.program = program
        self.d = diagnostics
        self.decls: dict[str, ast.Declaration] = {}
        self.consts: dict[str, ast.Const] = {}
        self.lowered: dict[str, Obj | None] = {}
        self.effective_memo: dict[str, EBlock | None] = {}
        self.const_memo: dict[str, object] = {}
        self.active: list[str] = []

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
            result = own
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
                    result = _merge(base_block, own) if base_block is not None else None
        finally:
            self.active.pop()
        self.effective_memo[name] = result
        return result

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
            from .validate import validate_declaration  # local: validate imports checker types

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
            invalid |= value is _INVALID
            if value is _INVALID:
                fields[fname] = None  # reported already; the declaration is marked invalid
            if spec.type == QUANTITY and isinstance(entry.value, ast.Quantity) and entry.value.unit:
                fields["_unit_" + fname] = entry.value.unit  # reports show figures in the author's units
            if value is not _INVALID:
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
    def evaluate(self, expr, results: dict | None = None):
        """An expression's value: Num / Bool / Str / Word / ListVal / Obj / Format."""
        if isinstance(expr, ast.Quantity):
            if expr.unit is None:
                return Num(expr.number, DIMENSIONLESS, expr.text)
            try:
                info = table().lookup(expr.unit)
            except UnitError as exc:
                self.d.error("E0302", str(exc), expr.unit_span, label="not a unit capplan knows",
                             hint=exc.hint)
                raise _Unresolved from None
            return Num(expr.number * info.factor, info.dims, f"{expr.text} {expr.unit}")
        if isinstance(expr, ast.String):
            return Str(expr.value)
        if isinstance(expr, ast.Boolean):
            return Bool(expr.value)
        if isinstance(expr, ast.ListExpr):
            return ListVal(tuple(self.evaluate(i, results) for i in expr.items))
        if isinstance(expr, ast.Configured):
            return Word(expr.name, expr.name_span)
        if isinstance(expr, ast.Negate):
            v = self._num(self.evaluate(expr.operand, results), expr.operand)
            return Num(None if v.value is None else -v.value, v.dims)
        if isinstance(expr, ast.Binary):
            return self._binary(expr, results)
        if isinstance(expr, ast.Compare):
            return self._compare(expr, results)
        if isinstance(expr, ast.Not):
            inner = self._bool(self.evaluate(expr.operand, results), expr.operand)
            return Bool(None if inner.value is None else not inner.value)
        if isinstance(expr, (ast.Conjunction, ast.Disjunction)):
            left = self._bool(self.evaluate(expr.left, results), expr.left)
            right = self._bool(self.evaluate(expr.right, results), expr.right)
            if left.value is None or right.value is None:
                return Bool(None)
            if isinstance(expr, ast.Conjunction):
                return Bool(left.value and right.value)
            return Bool(left.value or right.value)
        if isinstance(expr, ast.Ref):
            return self._ref(expr, results)
        raise TypeError(f"unknown expression node {expr!r}")

    def _ref(self, expr: ast.Ref, results: dict | None):
        head = expr.parts[0]
        if results is not None and head in results and len(expr.parts) == 1:
            return results[head]
        if head in self.consts:
            value = self._const(head)
        elif head in self.decls:
            value = self.lower(head)
            if value is None:
                raise _Unresolved
        elif len(expr.parts) == 1:
            return Word(head, expr.span)
        else:
            self._unknown(head, expr.span, {**self.decls, **self.consts})
            raise _Unresolved
        for part in expr.parts[1:]:
            if not isinstance(value, Obj):
                self.d.error("E0201", f"`{part}` cannot be read from a value", expr.span,
                             label="not a declaration")
                raise _Unresolved
            if part not in value.fields or part.startswith("_"):
                close = did_you_mean(part, [k for k in value.fields if not k.startswith("_")])
                self.d.error("E0201", f"{value.kind} `{value.name}` has no field `{part}`", expr.span,
                             label="unknown field", hint=f"did you mean `{close}`?" if close else None)
                raise _Unresolved
            field_value = value.fields[part]
            if isinstance(field_value, Obj):
                value = field_value
            elif field_value is None:
                self.d.error("E0402", f"{value.kind} `{value.name}` does not set `{part}`", expr.span,
                             label="no value to read")
                raise _Unresolved
            elif isinstance(field_value, bool):
                value = Bool(field_value)
            elif isinstance(field_value, (int, float)):
                value = Num(float(field_value), value.dims.get(part, DIMENSIONLESS))
            elif isinstance(field_value, str):
                value = Str(field_value)
            else:
                value = field_value
        return value

    def _const(self, name: str):
        if name in self.const_memo:
            return self.const_memo[name]
        key = "const:" + name
        const = self.consts[name]
        if key in self.active:
            self.d.error("E0205", f"constant `{name}` is defined in terms of itself", const.name_span,
                         label="cycle through this constant")
            raise _Unresolved
        self.active.append(key)
        try:
            value = self.evaluate(const.value)
        finally:
            self.active.pop()
        self.const_memo[name] = value
        return value

    def _num(self, value, expr) -> Num:
        if isinstance(value, Num):
            return value
        if isinstance(value, Word):
            self._unknown(value.name, value.span, {**self.decls, **self.consts})
            raise _Unresolved
        self.d.error("E0403", "a number is needed here", expr.span, label="not a number")
        raise _Unresolved

    def _bool(self, value, expr) -> Bool:
        if isinstance(value, Bool):
            return value
        if isinstance(value, Word):
            self._unknown(value.name, value.span, {**self.decls, **self.consts})
            raise _Unresolved
        self.d.error("E0403", "a condition (true or false) is needed here", expr.span,
                     label="not a condition")
        raise _Unresolved

    def _binary(self, expr: ast.Binary, results):
        left = self._num(self.evaluate(expr.left, results), expr.left)
        right = self._num(self.evaluate(expr.right, results), expr.right)
        if expr.op in "+-":
            if left.dims != right.dims:
                self._incompatible(expr, left, right)
            dims = left.dims
        elif expr.op == "*":
            dims = multiply(left.dims, right.dims)
        else:
            dims = divide(left.dims, right.dims)
        if left.value is None or right.value is None:
            return Num(None, dims)
        if expr.op == "+":
            return Num(left.value + right.value, dims)
        if expr.op == "-":
            return Num(left.value - right.value, dims)
        if expr.op == "*":
            return Num(left.value * right.value, dims)
        if right.value == 0:
            self.d.error("E0404", "division by zero", expr.right.span, label="this is zero")
            raise _Unresolved
        return Num(left.value / right.value, dims)

    def _compare(self, expr: ast.Compare, results):
        left = self._num(self.evaluate(expr.left, results), expr.left)
        right = self._num(self.evaluate(expr.right, results), expr.right)
        if left.dims != right.dims:
            self._incompatible(expr, left, right)
        if left.value is None or right.value is None:
            return Bool(None)
        a, b = left.value, right.value
        ok = {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "==": a == b, "!=": a != b}[expr.op]
        return Bool(ok)

    def _incompatible(self, expr, left: Num, right: Num):
        self.d.error("E0305", f"`{expr.op}` needs operands of the same dimension", expr.span,
                     label="these do not combine",
                     notes=(f"left: {describe(left.dims)}", f"right: {describe(right.dims)}"))
        raise _Unresolved

    def _unknown(self, name: str, span, pool) -> None:
        close = did_you_mean(name, pool)
        self.d.error("E0201", f"unknown name `{name}`", span, label="not declared anywhere in scope",
                     hint=f"did you mean `{close}`?" if close else
                     "`capplan catalog` lists the standard catalog")

    # ------------------------------------------------------------ coercion
    def coerce(self, spec: Field, expr, fname: str):
        """(plain value, dims or None) for field `spec`, or (_INVALID, None) after a diagnostic."""
        try:
            if spec.type == ENUM:
                return self._enum(spec, expr), None
            if spec.type == FORMAT:
                return self._format(expr), None
            value = self.evaluate(expr)
            if spec.type == QUANTITY:
                return self._quantity(spec, value, expr, fname)
            if spec.type in (COUNT, NUMBER, FRACTION):
                return self._plain(spec, value, expr, fname), None
            if spec.type == COUNTS:
                if not isinstance(value, ListVal):
                    self.d.error("E0403", f"`{fname}` takes a list of whole numbers", expr.span,
                                 label="not a list", hint=f"write `{fname} = [10, 10, 12]`")
                    return _INVALID, None
                items = [self._plain(spec, v, e, fname) for v, e in zip(value.items, expr.items)]
                return (_INVALID if _INVALID in items else items), None
            if spec.type == BOOL:
                if isinstance(value, Bool):
                    return value.value, None
                self.d.error("E0403", f"`{fname}` is true or false", expr.span, label="not a boolean",
                             hint=f"write `{fname} = true` or `{fname} = false`")
                return _INVALID, None
            if spec.type == STRING:
                if isinstance(value, Str):
                    return value.value, None
                self.d.error("E0403", f"`{fname}` is text in double quotes", expr.span,
                             label="not a string", hint=f'write `{fname} = "..."`')
                return _INVALID, None
            if spec.type == REF:
                return self._reference(spec, value, expr, fname), None
        except _Unresolved:
            return _INVALID, None
        raise TypeError(f"unknown field type {spec.type}")

    def _reference(self, spec: Field, value, expr, fname: str):
        if isinstance(value, Obj) and value.kind == spec.ref_kind:
            return value
        if isinstance(value, Word):
            pool = [n for n, dcl in self.decls.items() if dcl.kind == spec.ref_kind]
            close = did_you_mean(value.name, pool)
            self.d.error("E0201", f"unknown {spec.ref_kind} `{value.name}`", expr.span,
                         label=f"no {spec.ref_kind} has this name",
                         hint=f"did you mean `{close}`?" if close else
                         f"`capplan catalog` lists the catalog's {spec.ref_kind}s")
            return _INVALID
        if isinstance(value, Obj):
            decl = self.decls.get(value.name)
            self.d.error("E0204", f"`{fname}` needs a {spec.ref_kind}, but `{value.name}` is a "
                         f"{value.kind}", expr.span, label=f"this is a {value.kind}",
                         secondary=(Label(decl.name_span, f"{value.kind} declared here"),) if decl else (),
                         hint=f"name a {spec.ref_kind} here")
            return _INVALID
        self.d.error("E0403", f"`{fname}` needs the name of a {spec.ref_kind}", expr.span,
                     label="not a name")
        return _INVALID

    def _word_of(self, expr) -> str | None:
        if isinstance(expr, ast.Ref) and len(expr.parts) == 1:
            return expr.parts[0]
        if isinstance(expr, ast.Quantity) and expr.unit and expr.unit_span.column == expr.span.column + len(expr.text):
            return expr.text + expr.unit  # `1f1b` lexes as a number and a unit
        if isinstance(expr, ast.Quantity) and expr.unit is None:
            return expr.text
        return None

    def _enum(self, spec: Field, expr):
        word = self._word_of(expr)
        if word in spec.choices:
            return word
        close = did_you_mean(word, spec.choices) if word else None
        shown = f"`{word}`" if word else "this value"
        self.d.error("E0403", f"{shown} is not a valid `{spec.name}`", expr.span,
                     label="not one of the choices",
                     notes=("choices: " + ", ".join(spec.choices),),
                     hint=f"did you mean `{close}`?" if close else None)
        return _INVALID

    def _format(self, expr):
        if isinstance(expr, ast.Configured):
            word, options_block = expr.name, expr.body
        else:
            word, options_block = self._word_of(expr), None
        if word not in FORMATS:
            close = did_you_mean(word, FORMATS) if word else None
            self.d.error("E0403", f"`{word}` is not a numeric format" if word else
                         "a numeric format is needed here", expr.span, label="unknown format",
                         notes=("formats: " + ", ".join(FORMATS),),
                         hint=f"did you mean `{close}`?" if close else None)
            return _INVALID
        options = {}
        if options_block is not None:
            lowered = self.lower_block(_eblock(word, options_block, self.d), FORMAT_OPTIONS,
                                       "format", word, expr.name_span)
            options = {k: v for k, v in lowered.fields.items() if v is not None and not k.startswith("_")}
        if word == "nf4":
            options.setdefault("group", 64)  # NF4 is defined block-wise: bitsandbytes blocksize 64
        return Format(word, **options)

    def _quantity(self, spec: Field, value, expr, fname: str):
        if isinstance(value, Word):
            self._unknown(value.name, value.span, {**self.decls, **self.consts})
            return _INVALID, None
        if not isinstance(value, Num):
            self.d.error("E0403", f"`{fname}` takes a quantity", expr.span, label="not a quantity",
                         hint=f"e.g. `{fname} = {spec.example}`")
            return _INVALID, None
        if value.dims in spec.dims:
            if value.value is not None and value.value <= 0 and not spec.allow_zero:
                self.d.error("E0404", f"`{fname}` must be positive", expr.span,
                             label=f"this is {value.written or value.value}")
                return _INVALID, None
            return value.value, value.dims
        expected = " or ".join(describe(d) for d in spec.dims)
        if not value.dims:
            self.d.error("E0303", f"`{fname}` needs a unit", expr.span, label="a plain number",
                         notes=(f"expected: {expected}",), hint=f"write e.g. `{fname} = {spec.example}`")
            return _INVALID, None
        hint = self._unit_hint(expr, spec)
        self.d.error("E0301", f"unit mismatch for `{fname}`", expr.span,
                     label=f"this is {describe(value.dims)}",
                     notes=(f"expected: {expected}, e.g. `{spec.example}`",), hint=hint)
        return _INVALID, None

    def _unit_hint(self, expr, spec: Field) -> str | None:
        if not isinstance(expr, ast.Quantity) or not expr.unit:
            return None
        unit = expr.unit
        candidates = []
        if "/" in unit:
            candidates.append(unit.rsplit("/", 1)[0])
        candidates.append(unit + "/s")
        for candidate in candidates:
            try:
                if table().lookup(candidate).dims in spec.dims:
                    return f"did you mean `{expr.text} {candidate}`?"
            except UnitError:
                continue
        return None

    def _plain(self, spec: Field, value, expr, fname: str):
        if isinstance(value, Word):
            self._unknown(value.name, value.span, {**self.decls, **self.consts})
            return _INVALID
        if not isinstance(value, Num):
            self.d.error("E0403", f"`{fname}` takes a number", expr.span, label="not a number")
            return _INVALID
        if value.dims:
            self.d.error("E0304", f"`{fname}` is a plain {'count' if spec.type == COUNT else 'number'}",
                         expr.span, label=f"this has a unit: {describe(value.dims)}",
                         hint=f"drop the unit: `{fname} = {fmt_plain(expr)}`")
            return _INVALID
        x = value.value
        if spec.type == FRACTION:
            if not 0 <= x <= 1:
                self.d.error("E0404", f"`{fname}` is a fraction between 0 and 1", expr.span,
                             label=f"this is {value.written or x}", hint="write e.g. `90 %` or `0.9`")
                return _INVALID
            return x
        if spec.type in (COUNT, COUNTS):
            if x != int(x):
                self.d.error("E0405", f"`{fname}` must be a whole number", expr.span,
                             label=f"this is {value.written or x}")
                return _INVALID
            if x < 0 or (x == 0 and not spec.allow_zero):
                self.d.error("E0404", f"`{fname}` must be {'at least 0' if spec.allow_zero else 'positive'}",
                             expr.span, label=f"this is {value.written or int(x)}")
                return _INVALID
            return int(x)
        return x

    # -------------------------------------------------------------- driver
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
                except _Unresolved:
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
        placeholders = {n: (Bool(None) if dims == "bool" else Num(None, _dims(dims)))
                        for n, (dims, _doc) in names.items()}
        out = []
        for req in obj.fields.get("_requires", []):
            cond = req.condition
            if not self._unknown_results(cond, names):
                continue
            try:
                value = self.evaluate(cond, placeholders)
                if not isinstance(value, Bool):
                    self.d.error("E0403", "a requirement must be a condition", cond.span,
                                 label="this is not true or false",
                                 hint="compare it: `require peak_memory <= 72 GiB`")
                    continue
            except _Unresolved:
                continue
            out.append(Requirement(cond, req.span, ""))
        return out

    def check_requirement(self, req: Requirement, results: dict) -> Bool:
        try:
            value = self.evaluate(req.condition, results)
        except _Unresolved:
            return Bool(None)
        return value


_INVALID = object()


def _dims(text: str):
    from .units import dims_of

    return dims_of(text)


def fmt_plain(expr) -> str:
    return expr.text if isinstance(expr, ast.Quantity) else "..."


def check(program: Program, diagnostics: Diagnostics) -> tuple[Checked, Checker]:
    checker = Checker(program, diagnostics)
    return checker.run(), checker


__all__ = ["check", "Checked", "Checker", "fmt_quantity"]
