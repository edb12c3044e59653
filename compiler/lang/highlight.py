"""Syntax highlighting of `.plan` files: a Pygments lexer.

Registered (by the package's entry points) as the Pygments lexer `capplan`,
aliases `plan`, for `*.plan` files, so `pygmentize -l capplan spec.plan`,
Sphinx and MkDocs code blocks highlight specs. The TextMate grammar in
editors/capplan.tmLanguage.json gives editors the same scopes.

The lexer follows grammar/capplan.lark: a unit is a token written right after
a number (`80 GiB`, `3.35 TB/s`, `5 %`); a declaration kind is the first word
of a top-level declaration (`gpu h100 { ... }`); inside a block, the word that
starts an entry is a field name (`memory = ...`, `parallel { ... }`).

Token types:

=====================  ==========================================
comment                Comment.Single
string                 String.Double (escapes: String.Escape)
number                 Number.Integer / Number.Float
unit                   Keyword.Type (as Pygments' CSS lexer does)
declaration kind       Keyword.Declaration; its name: Name.Class
`const`                Keyword.Declaration; its name: Name.Constant
`import`               Keyword.Namespace
true, false            Keyword.Constant
other keywords         Keyword (from for require vary in minimize
                       maximize and or not)
field name             Name.Attribute (also after a dot: lab.gpu)
operators              Operator; punctuation: Punctuation
=====================  ==========================================
"""

from __future__ import annotations

from pygments.lexer import RegexLexer, bygroups, default, include
from pygments.token import Comment, Keyword, Name, Number, Operator, Punctuation, String, Whitespace

__all__ = ["CapplanLexer", "KINDS", "KEYWORDS"]

KINDS = ("gpu", "cluster", "model", "precision", "training", "inference", "search", "goal")  # = schema.KINDS
KEYWORDS = ("import", "const", "from", "for", "require", "vary", "in", "minimize", "maximize",
            "and", "or", "not", "true", "false")

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_INT = r"[0-9][0-9_]*(?:[eE][+-]?[0-9]+)?"
_FLOAT = r"(?:[0-9][0-9_]*\.[0-9_]+|\.[0-9][0-9_]*)(?:[eE][+-]?[0-9]+)?"
_UNIT_WORD = r"[A-Za-z_\u00b5][A-Za-z0-9_\u00b5]*(?:\^[0-9]+)?"
# A unit right after a number (grammar's UNIT): GiB, TB/s, TFLOP/s, USD/h, kW*h, %, m^2.
# A word the grammar reads as a keyword there (`require gpus <= 8 and fits`) is not a unit.
_UNIT = (r"(?!(?:and|or|not|in|from|for|true|false)(?![A-Za-z0-9_\u00b5^/*]))"
         rf"(?:%|{_UNIT_WORD}(?:[/*]{_UNIT_WORD})*)")
_GAP = r"([ \t\f]*)"  # the lexer ignores blanks between a number and its unit


class CapplanLexer(RegexLexer):
    """Lexer for capplan capacity-planning specs (`.plan`)."""

    name = "capplan"
    aliases = ["capplan", "plan"]
    filenames = ["*.plan"]
    mimetypes = ["text/x-capplan"]
    url = "https://github.com/capplan/capplan"
    version_added = ""

    tokens = {
        "root": [
            include("space"),
            (r";", Punctuation),
            (r"(import)\b", Keyword.Namespace),
            (rf"(const)([ \t\f]+)({_NAME})", bygroups(Keyword.Declaration, Whitespace, Name.Constant)),
            (rf"({'|'.join(KINDS)})([ \t\f]+)({_NAME})",
             bygroups(Keyword.Declaration, Whitespace, Name.Class)),
            (r"\{", Punctuation, ("block", "entry")),
            (r"\}", Punctuation),  # unbalanced: a syntax error, not a lexing one
            include("expr"),
        ],
        # inside `{ ... }`: entries, one per line or separated by `;`
        "block": [
            (r"[ \t\f\r]+", Whitespace),
            (r"\n", Whitespace, "entry"),
            (r";", Punctuation, "entry"),
            (r"#[^\n]*", Comment.Single),
            (r"\{", Punctuation, ("block", "entry")),  # format options: `int4 { group = 128 }`
            (r"\}", Punctuation, "#pop"),
            include("expr"),
        ],
        # the start of an entry: a field name, a sub-block's name, or a statement keyword
        "entry": [
            (r"[ \t\f\r\n]+", Whitespace),
            (r"#[^\n]*", Comment.Single),
            (rf"({_NAME})([ \t\f]*)(=)(?!=)", bygroups(Name.Attribute, Whitespace, Operator), "#pop"),
            (r"(require)\b", Keyword, "#pop"),
            (rf"(vary)([ \t\f]+)({_NAME})", bygroups(Keyword, Whitespace, Name.Variable), "#pop"),
            (r"(minimize|maximize)\b", Keyword, "#pop"),
            (rf"({_NAME})(?=[ \t\f]*\{{)", Name.Attribute, "#pop"),
            (r"\}", Punctuation, "#pop:2"),
            default("#pop"),
        ],
        "space": [
            (r"[ \t\f\r\n]+", Whitespace),
            (r"#[^\n]*", Comment.Single),
        ],
        "expr": [
            (r'"', String.Double, "string"),
            (rf"({_FLOAT}){_GAP}({_UNIT})", bygroups(Number.Float, Whitespace, Keyword.Type)),
            (_FLOAT, Number.Float),
            # `1f1b` (a pipeline schedule) lexes as a number and a unit; show it as the word it is
            (r"1f1b\b", Name),
            (rf"({_INT}){_GAP}({_UNIT})", bygroups(Number.Integer, Whitespace, Keyword.Type)),
            (_INT, Number.Integer),
            (r"(true|false)\b", Keyword.Constant),
            (r"(from|for|in|and|or|not|require|vary|minimize|maximize)\b", Keyword),
            (rf"(\.)({_NAME})", bygroups(Punctuation, Name.Attribute)),
            (rf"({_NAME})([ \t\f]*)(=)(?!=)", bygroups(Name.Attribute, Whitespace, Operator)),
            (_NAME, Name),
            (r"<=|>=|==|!=|<|>|[-+*/=]", Operator),
            (r"[()\[\],.]", Punctuation),
            (r"[ \t\f\r]+", Whitespace),
        ],
        "string": [
            (r'\\["\\nt]', String.Escape),
            (r'[^"\\\n]+', String.Double),
            (r'"', String.Double, "#pop"),
            (r"\\", String.Double),       # an unknown escape: the parser reports it
            default("#pop"),               # unterminated at the end of the line
        ],
    }
