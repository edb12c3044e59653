"""The printer behind `capplan fmt`: an AST (with its source text) back to text, in the canonical style.

capplan.lang.formatter describes the style, checks that the printed text means
what the source meant, and handles files; this module only prints. It reads
the parse tree (capplan.lang.ast) for the structure and the source text for
what the tree does not keep: blank lines, the author's parentheses (found with
capplan.lang.lexer's tokens, so parentheses in strings and comments do not
count), whether a block or list was written on one line, and comments.
"""

from __future__ import annotations

from dataclasses import dataclass

from capplan.lang import ast
from capplan.lang.lexer import Kind, tokenize

__all__ = ["Printer", "WIDTH", "INDENT", "COMMENT_COLUMN", "MAX_INLINE_ENTRIES"]

WIDTH = 100           # columns a one-line block or list may take
INDENT = "  "         # per block level
COMMENT_COLUMN = 39   # 0-based column where trailing comments start (column 40)
MAX_INLINE_ENTRIES = 3

# Binding strength of each construct, loosest first (as in grammar/capplan.lark).
_OR, _AND, _NOT_CMP, _SUM, _PRODUCT, _UNARY, _ATOM = 1, 2, 3, 4, 5, 6, 7
_EXPR = _SUM  # where the grammar wants `expr` (values, constants, `vary`, list items)


@dataclass
class _Line:
    level: int
    text: str
    src: int | None          # source line of the last code on this line, or the comment's line
    kind: str = "code"       # code | comment | blank
    comment: str | None = None


@dataclass
class _Elem:
    start: int               # first and last source line
    end: int
    lines: list[_Line]
    key: tuple[str, int] | None = None  # alignment: (run kind, where the padding goes) of a one-line entry
    kind: str = "entry"      # entry | comment


def _cat(level: int, *parts) -> list[_Line]:
    """Concatenate strings and line lists: each part continues the last line of the previous ones."""
    out = [_Line(level, "", None)]
    for part in parts:
        if isinstance(part, str):
            out[-1].text += part
            continue
        first, *rest = part
        out[-1].text += first.text
        if first.src is not None:
            out[-1].src = first.src if out[-1].src is None else max(out[-1].src, first.src)
        out.extend(rest)
    return out


def _suffix(lines: list[_Line], text: str) -> list[_Line]:
    lines[-1].text += text
    return lines


class Printer:
    """Prints one parsed file: `Printer(text, tree).document()` is its canonical text."""

    def __init__(self, text: str, tree: ast.File):
        self.text = text
        self.tree = tree
        self.src_lines = text.split("\n")
        self.offsets = [0]
        for line in self.src_lines:
            self.offsets.append(self.offsets[-1] + len(line) + 1)
        self.parens = self._paren_pairs()
        self.own: list[ast.Comment] = []
        self.trailing: list[ast.Comment] = []
        for c in tree.comments:
            # after nothing but separators (`;` or `,` alone), a comment is as good as on its own line
            before = self.src_lines[c.span.line - 1][:c.span.column - 1]
            (self.own if not before.strip(" \t\f\r;,") else self.trailing).append(c)
        self.next_own = 0

    # ------------------------------------------------------------ source facts

    def _off(self, line: int, column: int) -> int:
        return self.offsets[line - 1] + column - 1

    def _paren_pairs(self) -> dict[int, int]:
        """Offset of each `(` -> offset of its `)` (the lexer's, so none in a string or comment)."""
        pairs, stack = {}, []
        for token in tokenize(self.text):
            if token.kind is Kind.PUNCTUATION and token.text == "(":
                stack.append(token.start)
            elif token.kind is Kind.PUNCTUATION and token.text == ")" and stack:
                pairs[stack.pop()] = token.start
        return pairs

    def _author_parens(self, node) -> bool:
        """Did the author write `( node )`? (Spans exclude a node's own parentheses.)"""
        s = node.span
        start, end = self._off(s.line, s.column), self._off(s.end_line, s.end_column)
        o = start - 1
        while o >= 0 and self.text[o] in " \t\f":
            o -= 1
        if o < 0 or self.text[o] != "(" or self.parens.get(o, -1) < end:
            return False
        return not self.text[end:self.parens[o]].strip()

    def _blank_between(self, a_end: int, b_start: int) -> bool:
        return any(not self.src_lines[n - 1].strip() for n in range(a_end + 1, b_start))

    def _comments_within(self, span) -> bool:
        lo, hi = (span.line, span.column), (span.end_line, span.end_column)
        return any(lo < (c.span.line, c.span.column) < hi for c in self.tree.comments)

    def _string(self, node: ast.String, span=None) -> str:
        s = span or node.span
        if s.line == s.end_line:
            raw = self.src_lines[s.line - 1][s.column - 1:s.end_column - 1]
            if len(raw) >= 2 and raw[0] == raw[-1] == '"':
                return raw
        value = node.value if isinstance(node, ast.String) else node
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    # ------------------------------------------------------------ comments

    def _own_before(self, pos: tuple[int, int], level: int) -> list[_Elem]:
        out = []
        while self.next_own < len(self.own):
            c = self.own[self.next_own]
            if (c.span.line, c.span.column) >= pos:
                break
            self.next_own += 1
            out.append(_Elem(c.span.line, c.span.line,
                             [_Line(level, c.text.rstrip(), c.span.line, "comment")], kind="comment"))
        return out

    # ------------------------------------------------------------ one-line forms

    @staticmethod
    def _strength(e) -> int:
        if isinstance(e, ast.Disjunction):
            return _OR
        if isinstance(e, ast.Conjunction):
            return _AND
        if isinstance(e, (ast.Not, ast.Compare)):
            return _NOT_CMP
        if isinstance(e, ast.Binary):
            return _SUM if e.op in "+-" else _PRODUCT
        if isinstance(e, ast.Negate):
            return _UNARY
        return _ATOM

    def _wrap(self, e, least: int) -> bool:
        if isinstance(e, ast.Configured):
            return False
        return self._strength(e) < least or self._author_parens(e)

    def _operands(self, e):
        """(left, least strength, operator text, right, least strength) of a binary construct."""
        if isinstance(e, ast.Binary):
            p = self._strength(e)
            return e.left, p, f" {e.op} ", e.right, p + 1
        if isinstance(e, ast.Compare):
            return e.left, _SUM, f" {e.op} ", e.right, _SUM
        if isinstance(e, ast.Conjunction):
            return e.left, _AND, " and ", e.right, _NOT_CMP
        if isinstance(e, ast.Disjunction):
            return e.left, _OR, " or ", e.right, _AND
        return None

    def _prefix(self, e):
        if isinstance(e, ast.Negate):
            return "-", e.operand, _UNARY
        if isinstance(e, ast.Not):
            return "not ", e.operand, _NOT_CMP
        return None

    @staticmethod
    def _join_prefix(word: str, operand: str) -> str:
        return word + (" " if word == "-" and operand.startswith("-") else "") + operand  # `- -x`, not `--x`

    def flat_expr(self, e, least: int) -> str | None:
        inner = self._flat_inner(e)
        if inner is None:
            return None
        return f"({inner})" if self._wrap(e, least) else inner

    def _flat_inner(self, e) -> str | None:
        if isinstance(e, ast.Quantity):
            if e.unit is None:
                return e.text
            glued = e.unit_span.line == e.span.line and e.unit_span.column == e.span.column + len(e.text)
            return e.text + ("" if glued else " ") + e.unit
        if isinstance(e, ast.String):
            return self._string(e)
        if isinstance(e, ast.Boolean):
            return "true" if e.value else "false"
        if isinstance(e, ast.Ref):
            return e.dotted
        if isinstance(e, ast.ListExpr):
            return self.flat_list(e)
        if isinstance(e, ast.Configured):
            body = self.flat_block(e.body)
            return None if body is None else f"{e.name} {body}"
        ops = self._operands(e)
        if ops is not None:
            left, lp, op, right, rp = ops
            a, b = self.flat_expr(left, lp), self.flat_expr(right, rp)
            return None if a is None or b is None else a + op + b
        pre = self._prefix(e)
        if pre is not None:
            word, operand, p = pre
            a = self.flat_expr(operand, p)
            return None if a is None else self._join_prefix(word, a)
        raise TypeError(f"unknown expression {type(e).__name__}")

    def _one_line(self, node) -> bool:
        return node.span.line == node.span.end_line

    def flat_list(self, e: ast.ListExpr) -> str | None:
        if not self._one_line(e):
            if e.items or self._comments_within(e.span):
                return None
            return "[]"
        items = [self.flat_expr(item, _EXPR) for item in e.items]
        if any(i is None for i in items):
            return None
        return "[" + ", ".join(items) + "]"

    def flat_block(self, b: ast.Block) -> str | None:
        if not b.entries:
            return None if self._comments_within(b.span) else "{}"
        if not self._one_line(b) or len(b.entries) > MAX_INLINE_ENTRIES:
            return None
        entries = [self.flat_entry(x) for x in b.entries]
        if any(x is None for x in entries):
            return None
        return "{ " + "; ".join(entries) + " }"

    def flat_entry(self, e) -> str | None:
        if isinstance(e, ast.Assignment):
            v = self.flat_expr(e.value, _EXPR)
            return None if v is None else f"{e.name} = {v}"
        if isinstance(e, ast.SubBlock):
            b = self.flat_block(e.body)
            return None if b is None else f"{e.name} {b}"
        if isinstance(e, ast.Require):
            c = self.flat_expr(e.condition, 0)
            return None if c is None else f"require {c}"
        if isinstance(e, ast.DropRequire):
            c = self.flat_expr(e.condition, 0)
            return None if c is None else f"drop require {c}"
        if isinstance(e, ast.Vary):
            v = self.flat_expr(e.values, _EXPR)
            return None if v is None else f"vary {e.name} in {v}"
        if isinstance(e, ast.Objective):
            return f"{e.direction} {e.name}"
        raise TypeError(f"unknown entry {type(e).__name__}")

    # ------------------------------------------------------------ multi-line forms

    @staticmethod
    def _fits(level: int, text: str) -> bool:
        return len(INDENT) * level + len(text) <= WIDTH

    def expr(self, e, least: int, level: int, force: bool) -> list[_Line]:
        """`e` as lines. force: the one-line form is too wide, so expand the outermost blocks and lists."""
        if not force:
            flat = self.flat_expr(e, least)
            if flat is not None:
                return [_Line(level, flat, e.span.end_line)]
        lines = self._expr_inner(e, level, force)
        if self._wrap(e, least):
            lines = _suffix(_cat(level, "(", lines), ")")
        return lines

    def _expr_inner(self, e, level: int, force: bool) -> list[_Line]:
        if isinstance(e, ast.ListExpr):
            return self.list_lines(e, level)
        if isinstance(e, ast.Configured):
            return _cat(level, f"{e.name} ", self.block_lines(e.body, level))
        ops = self._operands(e)
        if ops is not None:
            left, lp, op, right, rp = ops
            return _cat(level, self.expr(left, lp, level, force), op, self.expr(right, rp, level, force))
        pre = self._prefix(e)
        if pre is not None:
            word, operand, p = pre
            lines = self.expr(operand, p, level, force)
            lines[0].text = self._join_prefix(word, lines[0].text)
            return lines
        return [_Line(level, self._flat_inner(e), e.span.end_line)]

    def list_lines(self, e: ast.ListExpr, level: int) -> list[_Line]:
        """A list, expanded."""
        if not e.items and not self._comments_within(e.span):
            return [_Line(level, "[]", e.span.end_line)]
        elems = []
        for item in e.items:
            elems += self._own_before((item.span.line, item.span.column), level + 1)
            flat = self.flat_expr(item, _EXPR)
            if flat is not None and self._fits(level + 1, flat + ","):
                lines = [_Line(level + 1, flat + ",", item.span.end_line)]
            else:
                lines = _suffix(self.expr(item, _EXPR, level + 1, force=flat is not None), ",")
            elems.append(_Elem(item.span.line, item.span.end_line, lines))
        elems += self._own_before((e.span.end_line, e.span.end_column - 1), level + 1)
        return ([_Line(level, "[", e.span.line)] + self._join(elems)
                + [_Line(level, "]", e.span.end_line)])

    def block_lines(self, b: ast.Block, level: int) -> list[_Line]:
        """A block, expanded."""
        if not b.entries and not self._comments_within(b.span):
            return [_Line(level, "{}", b.span.end_line)]
        elems = []
        for entry in b.entries:
            elems += self._own_before((entry.span.line, entry.span.column), level + 1)
            lines, key = self.entry_lines(entry, level + 1)
            elems.append(_Elem(entry.span.line, entry.span.end_line, lines, key))
        elems += self._own_before((b.span.end_line, b.span.end_column - 1), level + 1)
        return ([_Line(level, "{", b.span.line)] + self._join(elems)
                + [_Line(level, "}", b.span.end_line)])

    @staticmethod
    def _key(e) -> tuple[str, int] | None:
        if isinstance(e, ast.Assignment):
            return "=", len(e.name)
        if isinstance(e, ast.Vary):
            return "in", len(f"vary {e.name}")
        if isinstance(e, ast.Const):
            return "=", len(f"const {e.name}")
        return None

    def entry_lines(self, e, level: int) -> tuple[list[_Line], tuple[str, int] | None]:
        flat = self.flat_entry(e)
        if flat is not None and self._fits(level, flat):
            return [_Line(level, flat, e.span.end_line)], self._key(e)
        force = flat is not None
        if isinstance(e, ast.Assignment):
            lines = _cat(level, f"{e.name} = ", self.expr(e.value, _EXPR, level, force))
        elif isinstance(e, ast.SubBlock):
            lines = _cat(level, f"{e.name} ", self.block_lines(e.body, level))
        elif isinstance(e, ast.Require):
            lines = _cat(level, "require ", self.expr(e.condition, 0, level, force))
        elif isinstance(e, ast.DropRequire):
            lines = _cat(level, "drop require ", self.expr(e.condition, 0, level, force))
        elif isinstance(e, ast.Vary):
            lines = _cat(level, f"vary {e.name} in ", self.expr(e.values, _EXPR, level, force))
        else:  # an objective is always one line
            lines = [_Line(level, flat, e.span.end_line)]
        return lines, self._key(e) if len(lines) == 1 else None

    def item_lines(self, item) -> tuple[list[_Line], tuple[str, int] | None]:
        if isinstance(item, ast.Import):
            return [_Line(0, "import " + self._string(item.path, item.path_span), item.span.end_line)], None
        if isinstance(item, ast.Const):
            flat = self.flat_expr(item.value, _EXPR)
            if flat is not None and self._fits(0, f"const {item.name} = {flat}"):
                return [_Line(0, f"const {item.name} = {flat}", item.span.end_line)], self._key(item)
            lines = _cat(0, f"const {item.name} = ", self.expr(item.value, _EXPR, 0, flat is not None))
            return lines, self._key(item) if len(lines) == 1 else None
        assert isinstance(item, ast.Declaration)
        head = f"{item.kind} {item.name}"
        if item.base is not None:
            head += f" from {item.base.dotted}"
        if item.target is not None:
            head += f" for {item.target.dotted}"
        body = self.flat_block(item.body)
        if body is not None and self._fits(0, f"{head} {body}"):
            return [_Line(0, f"{head} {body}", item.span.end_line)], None
        return _cat(0, head + " ", self.block_lines(item.body, 0)), None

    # ------------------------------------------------------------ assembling

    def _join(self, elems: list[_Elem], top: bool = False) -> list[_Line]:
        n = len(elems)
        blank = [i > 0 and self._blank_between(elems[i - 1].end, elems[i].start) for i in range(n)]
        if top:
            for i, el in enumerate(elems):
                if el.kind != "entry" or len(el.lines) == 1:
                    continue
                if i + 1 < n:
                    blank[i + 1] = True
                j = i  # the comments right above a declaration travel with it
                while j > 0 and not blank[j] and elems[j - 1].kind == "comment":
                    j -= 1
                if j > 0:
                    blank[j] = True
        i = 0
        while i < n:  # align `=` (`in`) in runs of one-line assignments (`vary` lines)
            j = i
            while (j < n and elems[j].key is not None and elems[j].key[0] == elems[i].key[0]
                   and (j == i or not blank[j])):
                j += 1
            if j - i >= 2:
                width = max(elems[k].key[1] for k in range(i, j))
                for k in range(i, j):
                    line, key = elems[k].lines[0], elems[k].key[1]
                    line.text = line.text[:key] + " " * (width - key) + line.text[key:]
            i = max(j, i + 1)
        out: list[_Line] = []
        for i, el in enumerate(elems):
            if blank[i]:
                out.append(_Line(0, "", None, "blank"))
            out.extend(el.lines)
        return out

    def document(self) -> str:
        elems = []
        for item in self.tree.items:
            elems += self._own_before((item.span.line, item.span.column), 0)
            lines, key = self.item_lines(item)
            elems.append(_Elem(item.span.line, item.span.end_line, lines, key))
        elems += self._own_before((len(self.src_lines) + 1, 0), 0)
        lines = self._place_trailing(self._join(elems, top=True))
        out = []
        for line in lines:
            if line.kind == "blank":
                out.append("")
                continue
            code = (INDENT * line.level + line.text).rstrip()
            if line.comment is not None:
                gap = COMMENT_COLUMN - len(code) if len(code) + 2 <= COMMENT_COLUMN else 2
                code += " " * gap + line.comment
            out.append(code.rstrip())
        return "\n".join(out) + "\n" if out else ""

    def _place_trailing(self, lines: list[_Line]) -> list[_Line]:
        """Put each comment that followed code on the last printed line holding code from its source line."""
        extra: dict[int, list[_Line]] = {}
        index = -1
        for c in self.trailing:
            text, line = c.text.rstrip(), c.span.line
            while index + 1 < len(lines) and (lines[index + 1].src is None or lines[index + 1].src <= line):
                index += 1
            while index >= 0 and lines[index].kind == "blank":
                index -= 1
            target = lines[index] if index >= 0 else None
            if target is not None and target.kind == "code" and target.comment is None:
                target.comment = text
                continue
            # no code of that line printed on its own line (not expected): keep it as a comment line
            level = 0 if target is None else target.level + (target.text.endswith(("{", "[")) and target.kind == "code")
            extra.setdefault(index, []).append(_Line(level, text, line, "comment"))
        if not extra:
            return lines
        out = list(extra.get(-1, []))
        for i, line in enumerate(lines):
            out.append(line)
            out.extend(extra.get(i, []))
        return out

