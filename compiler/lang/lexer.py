"""The one tokenizer of `.plan` text for tools: token kinds and `tokenize(text)`.

The Lark parser (capplan.lang.parser) reads specs that compile; the tools need
the words of text that does not (yet): the Pygments lexer (capplan.lang.highlight)
colours every character of a spec, the language server (capplan.tools.lsp)
finds the blocks around a cursor, the word under it and whether it sits in a
comment, and the formatter (capplan.lang.printer) finds the author's
parentheses. All of them read the tokens made here, from one table of patterns
(`_STATES` below) that follows grammar/capplan.lark's terminals (NAME, NUMBER,
UNIT, STRING, COMMENT and the words the grammar spells out; tests/test_lexer.py
checks the two agree).

`tokenize` never fails and never loses a character: the tokens cover the text
end to end, in order, and a character no rule reads is one `ERROR` token.

Context the grammar gives a word (the lexer keeps a small stack of states,
as Pygments' RegexLexer does: https://pygments.org/docs/lexerdevelopment/):

* a unit is a word written right after a number (`80 GiB`, `3.35 TB/s`, `5 %`),
  unless the grammar reads that word as a keyword (`gpus <= 8 and fits`);
* a declaration kind is the first word of a top-level declaration
  (`gpu h100 { ... }`), followed by the declaration's name;
* inside a block, the word that starts an entry is a field name
  (`memory = ...`, `parallel { ... }`), and so is a word after a dot.

Kinds, with the Pygments token (highlight.py) and the TextMate scope
(editors/capplan.tmLanguage.json) their characters get:

============  ===================  ==========================================
WHITESPACE    Whitespace
COMMENT       Comment.Single       comment.line.number-sign
STRING        String.Double        string.quoted.double (quotes and text)
ESCAPE        String.Escape        constant.character.escape (`\\"` `\\n` ...)
INTEGER       Number.Integer       constant.numeric
FLOAT         Number.Float         constant.numeric
UNIT          Keyword.Type         keyword.other.unit
KIND          Keyword.Declaration  storage.type.kind (`gpu`, `training`, ...)
DECL_NAME     Name.Class           entity.name.type (the declaration's name)
CONST         Keyword.Declaration  storage.type.const
CONST_NAME    Name.Constant        variable.other.constant
IMPORT        Keyword.Namespace    keyword.control.import
BOOLEAN       Keyword.Constant     constant.language.boolean
KEYWORD       Keyword              keyword.control / keyword.operator.logical
FIELD         Name.Attribute       entity.other.attribute-name (after a dot:
                                   variable.other.property)
VARIABLE      Name.Variable        variable.parameter (`vary NAME in ...`)
NAME          Name                 variable.other (a reference; `1f1b`)
OPERATOR      Operator             keyword.operator.*
PUNCTUATION   Punctuation          punctuation.*
ERROR         Error                (a character the language does not use)
============  ===================  ==========================================
"""

from __future__ import annotations

import enum
import functools
import re
from dataclasses import dataclass

__all__ = ["Kind", "Token", "tokenize", "KINDS", "KEYWORDS", "NAME", "NAME_KINDS", "NUMBER_KINDS",
           "STRING_KINDS"]


class Kind(enum.Enum):
    """What a token is (the table in the module's docstring)."""

    WHITESPACE = "whitespace"
    COMMENT = "comment"
    STRING = "string"
    ESCAPE = "escape"
    INTEGER = "integer"
    FLOAT = "float"
    UNIT = "unit"
    KIND = "kind"
    DECL_NAME = "decl_name"
    CONST = "const"
    CONST_NAME = "const_name"
    IMPORT = "import"
    BOOLEAN = "boolean"
    KEYWORD = "keyword"
    FIELD = "field"
    VARIABLE = "variable"
    NAME = "name"
    OPERATOR = "operator"
    PUNCTUATION = "punctuation"
    ERROR = "error"


# Words that name something: a reference, a declaration's or a constant's name, a field.
NAME_KINDS = frozenset({Kind.NAME, Kind.DECL_NAME, Kind.CONST_NAME, Kind.VARIABLE, Kind.FIELD})
NUMBER_KINDS = frozenset({Kind.INTEGER, Kind.FLOAT})
STRING_KINDS = frozenset({Kind.STRING, Kind.ESCAPE})


@dataclass(slots=True)
class Token:
    """`text[start:end]`, of one kind."""

    start: int
    end: int
    kind: Kind
    text: str


# The declaration kinds (= capplan.check.schema.KINDS, which the lexer's layer cannot import;
# tests/test_editor.py checks they agree) and the words grammar/capplan.lark spells out.
KINDS = ("gpu", "cluster", "model", "precision", "training", "inference", "search", "goal", "calibration")
KEYWORDS = ("import", "const", "from", "for", "require", "drop", "vary", "in", "minimize", "maximize",
            "and", "or", "not", "true", "false")

# The grammar's terminals (grammar/capplan.lark): NAME; NUMBER, as an integer or a float; UNIT.
NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_INT = r"[0-9][0-9_]*(?:[eE][+-]?[0-9]+)?"
_FLOAT = r"(?:[0-9][0-9_]*\.[0-9_]+|\.[0-9][0-9_]*)(?:[eE][+-]?[0-9]+)?"
_UNIT_WORD = r"[A-Za-z_\u00b5][A-Za-z0-9_\u00b5]*(?:\^[0-9]+)?"
# A unit right after a number (grammar's UNIT): GiB, TB/s, TFLOP/s, USD/h, kW*h, %, m^2.
# A word the grammar reads as a keyword there (`require gpus <= 8 and fits`) is not a unit.
_UNIT = (r"(?!(?:and|or|not|in|from|for|true|false)(?![A-Za-z0-9_\u00b5^/*]))"
         rf"(?:%|{_UNIT_WORD}(?:[/*]{_UNIT_WORD})*)")
_GAP = r"([ \t\f]*)"  # the parser ignores blanks between a number and its unit
_BLANK = r"[ \t\f]"

W, C, S, E = Kind.WHITESPACE, Kind.COMMENT, Kind.STRING, Kind.ESCAPE
P, O, N, F, K = Kind.PUNCTUATION, Kind.OPERATOR, Kind.NAME, Kind.FIELD, Kind.KEYWORD

# state -> rules, tried in order at the current position; the first that matches wins.
# A rule: (pattern, kinds, then). kinds: one Kind for the whole match, a tuple with one Kind per
# group (an empty group gives no token), or None (no token). then: states to push (a tuple), or
# a negative number of states to pop (the first state is never popped), or None.
_SPACE = [(r"[ \t\f\r\n]+", W, None), (r"#[^\n]*", C, None)]
_EXPR = [
    (r'"', S, ("string",)),
    # a number is read whole, as the parser reads it, before a unit: `1_000` and `1e9` are numbers
    (rf"((?>{_FLOAT})){_GAP}({_UNIT})", (Kind.FLOAT, W, Kind.UNIT), None),
    (_FLOAT, Kind.FLOAT, None),
    (r"1f1b\b", N, None),  # `1f1b` (a pipeline schedule) would read as a number and a unit: a word
    (rf"((?>{_INT})){_GAP}({_UNIT})", (Kind.INTEGER, W, Kind.UNIT), None),
    (_INT, Kind.INTEGER, None),
    (r"(true|false)\b", Kind.BOOLEAN, None),
    (r"(from|for|in|and|or|not|require|vary|minimize|maximize)\b", K, None),
    (rf"(\.)({NAME})", (P, F), None),
    (rf"({NAME})({_BLANK}*)(=)(?!=)", (F, W, O), None),
    (NAME, N, None),
    (r"<=|>=|==|!=|<|>|[-+*/=]", O, None),
    (r"[()\[\],.]", P, None),
    (r"[ \t\f\r]+", W, None),
]
_STATES: dict[str, list] = {
    "root": [
        *_SPACE,
        (r";", P, None),
        (r"(import)\b", Kind.IMPORT, None),
        (rf"(const)({_BLANK}+)({NAME})", (Kind.CONST, W, Kind.CONST_NAME), None),
        (rf"({'|'.join(KINDS)})({_BLANK}+)({NAME})", (Kind.KIND, W, Kind.DECL_NAME), None),
        (r"\{", P, ("block", "entry")),
        (r"\}", P, None),  # unbalanced: a syntax error, not a lexing one
        *_EXPR,
    ],
    # inside `{ ... }`: entries, one per line or separated by `;`
    "block": [
        (r"[ \t\f\r]+", W, None),
        (r"\n", W, ("entry",)),
        (r";", P, ("entry",)),
        (r"#[^\n]*", C, None),
        (r"\{", P, ("block", "entry")),  # format options: `int4 { group = 128 }`
        (r"\}", P, -1),
        *_EXPR,
    ],
    # the start of an entry: a field name, a sub-block's name, or a statement keyword
    "entry": [
        (r"[ \t\f\r\n]+", W, None),
        (r"#[^\n]*", C, None),
        (rf"({NAME})({_BLANK}*)(=)(?!=)", (F, W, O), -1),
        (r"(require)\b", K, -1),
        (rf"(drop)({_BLANK}+)(require)\b", (K, W, K), -1),
        (rf"(vary)({_BLANK}+)({NAME})", (K, W, Kind.VARIABLE), -1),
        (r"(minimize|maximize)\b", K, -1),
        (rf"({NAME})(?={_BLANK}*\{{)", F, -1),
        (r"\}", P, -2),
        (r"", None, -1),
    ],
    "string": [
        (r'\\["\\nt]', E, None),
        (r'[^"\\\n]+', S, None),
        (r'"', S, -1),
        (r"\\", S, None),   # an unknown escape: the parser reports it
        (r"", None, -1),    # unterminated at the end of the line
    ],
}
del W, C, S, E, P, O, N, F, K


@functools.cache
def _states() -> dict[str, list]:
    """The table, compiled (on first use: importing the lexer stays cheap)."""
    return {state: [(re.compile(pattern).match, kinds, then) for pattern, kinds, then in rules]
            for state, rules in _STATES.items()}


def tokenize(text: str) -> list[Token]:
    """Every token of `text`, in order; together they spell `text` exactly."""
    states = _states()
    out: list[Token] = []
    stack = ["root"]
    rules = states["root"]
    pos, size = 0, len(text)
    while pos < size:
        for match, kinds, then in rules:
            m = match(text, pos)
            if m is None:
                continue
            if isinstance(kinds, Kind):
                out.append(Token(pos, m.end(), kinds, m.group()))
            elif kinds is not None:
                for group, kind in enumerate(kinds, 1):
                    if m.group(group):
                        out.append(Token(m.start(group), m.end(group), kind, m.group(group)))
            pos = m.end()
            if then is not None:
                if isinstance(then, tuple):
                    stack.extend(then)
                elif -then >= len(stack):
                    del stack[1:]
                else:
                    del stack[then:]
                rules = states[stack[-1]]
            break
        else:  # no rule reads this character
            if text[pos] == "\n":
                stack, rules = ["root"], states["root"]
                out.append(Token(pos, pos + 1, Kind.WHITESPACE, "\n"))
            else:
                out.append(Token(pos, pos + 1, Kind.ERROR, text[pos]))
            pos += 1
    return out
