"""Expressions of the spec language: evaluated with units, on canonical floats.

A mixin of the Checker (checker.py): it needs the checker's diagnostics,
declarations and constants, and is split out only to keep modules short.
"""

from __future__ import annotations

import math

from capplan.lang import ast
from capplan.core.diagnostics import did_you_mean
from capplan.core.limits import limits
from capplan.check.units import DIMENSIONLESS, UnitError, describe, divide, multiply, table
from capplan.check.values import Bool, ListVal, Num, Obj, Str, Word


class Unresolved(Exception):
    """Raised inside expression evaluation after a diagnostic was recorded."""


class ExpressionsMixin:
    def evaluate(self, expr, results: dict | None = None):
        """An expression's value: Num / Bool / Str / Word / ListVal / Obj / Format."""
        if isinstance(expr, ast.Quantity):
            if expr.unit is None:
                return Num(expr.number, DIMENSIONLESS, expr.text)
            try:
                info = table().lookup(expr.unit)
            except UnitError as exc:
                self.d.error(exc.code, str(exc), expr.unit_span,
                             label="not a unit capplan knows" if exc.code == "E0302" else "too complex a unit",
                             hint=exc.hint)
                raise Unresolved from None
            return self._in_range(Num(expr.number * info.factor, info.dims, f"{expr.text} {expr.unit}"), expr)
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
                raise Unresolved
        elif len(expr.parts) == 1:
            return Word(head, expr.span)
        else:
            self._unknown(head, expr.span, {**self.decls, **self.consts})
            raise Unresolved
        for part in expr.parts[1:]:
            if not isinstance(value, Obj):
                self.d.error("E0201", f"`{part}` cannot be read from a value", expr.span,
                             label="not a declaration")
                raise Unresolved
            if part not in value.fields or part.startswith("_"):
                close = did_you_mean(part, [k for k in value.fields if not k.startswith("_")])
                self.d.error("E0201", f"{value.kind} `{value.name}` has no field `{part}`", expr.span,
                             label="unknown field", hint=f"did you mean `{close}`?" if close else None)
                raise Unresolved
            field_value = value.fields[part]
            if isinstance(field_value, Obj):
                value = field_value
            elif field_value is None:
                self.d.error("E0402", f"{value.kind} `{value.name}` does not set `{part}`", expr.span,
                             label="no value to read")
                raise Unresolved
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
            raise Unresolved
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
            raise Unresolved
        self.d.error("E0403", "a number is needed here", expr.span, label="not a number")
        raise Unresolved

    def _bool(self, value, expr) -> Bool:
        if isinstance(value, Bool):
            return value
        if isinstance(value, Word):
            self._unknown(value.name, value.span, {**self.decls, **self.consts})
            raise Unresolved
        self.d.error("E0403", "a condition (true or false) is needed here", expr.span,
                     label="not a condition")
        raise Unresolved

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
            return self._in_range(Num(left.value + right.value, dims), expr)
        if expr.op == "-":
            return self._in_range(Num(left.value - right.value, dims), expr)
        if expr.op == "*":
            return self._in_range(Num(left.value * right.value, dims), expr)
        if right.value == 0:
            self.d.error("E0404", "division by zero", expr.right.span, label="this is zero")
            raise Unresolved
        return self._in_range(Num(left.value / right.value, dims), expr)

    def _in_range(self, value: Num, expr) -> Num:
        """E0801 for a result that is not finite or not below 10^max_magnitude_exponent."""
        exponent = limits().max_magnitude_exponent
        if value.value is not None and not abs(value.value) < 10.0 ** exponent:
            self.d.error("E0801", "number out of range", expr.span,
                         label=f"this is {'not finite' if not math.isfinite(value.value) else 'too large'}",
                         notes=(f"every value must be below 10^{exponent} in canonical units (bytes, seconds, "
                                "FLOP, ...)",),
                         hint="check the units and the magnitudes of the operands")
            raise Unresolved
        return value

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
        raise Unresolved

    def _unknown(self, name: str, span, pool) -> None:
        close = did_you_mean(name, pool)
        self.d.error("E0201", f"unknown name `{name}`", span, label="not declared anywhere in scope",
                     hint=f"did you mean `{close}`?" if close else
                     "`capplan catalog` lists the standard catalog")

    # ------------------------------------------------------------ coercion
