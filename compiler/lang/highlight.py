"""Syntax highlighting of `.plan` files: a Pygments lexer.

Registered (by the package's entry points) as the Pygments lexer `capplan`,
aliases `plan`, for `*.plan` files, so `pygmentize -l capplan spec.plan`,
Sphinx and MkDocs code blocks highlight specs. The TextMate grammar in
editors/capplan.tmLanguage.json gives editors the same scopes.

The tokens are capplan.lang.lexer's (the tokenizer the language server
reads too); this module only names each kind's Pygments token type:

=====================  ==========================================
comment                Comment.Single
string                 String.Double (escapes: String.Escape)
number                 Number.Integer / Number.Float
unit                   Keyword.Type (as Pygments' CSS lexer does)
declaration kind       Keyword.Declaration; its name: Name.Class
`const`                Keyword.Declaration; its name: Name.Constant
`import`               Keyword.Namespace
true, false            Keyword.Constant
other keywords         Keyword (from for require drop vary in minimize
                       maximize and or not)
field name             Name.Attribute (also after a dot: lab.gpu)
operators              Operator; punctuation: Punctuation
=====================  ==========================================
"""

from __future__ import annotations

from pygments.lexer import Lexer
from pygments.token import (Comment, Error, Keyword, Name, Number, Operator, Punctuation, String,
                            Whitespace)

from capplan.lang.lexer import KEYWORDS, KINDS, Kind, tokenize

__all__ = ["CapplanLexer", "KINDS", "KEYWORDS", "PYGMENTS_TOKEN"]

# Kind -> the Pygments token type its text is shown as.
PYGMENTS_TOKEN = {
    Kind.WHITESPACE: Whitespace,
    Kind.COMMENT: Comment.Single,
    Kind.STRING: String.Double,
    Kind.ESCAPE: String.Escape,
    Kind.INTEGER: Number.Integer,
    Kind.FLOAT: Number.Float,
    Kind.UNIT: Keyword.Type,
    Kind.KIND: Keyword.Declaration,
    Kind.DECL_NAME: Name.Class,
    Kind.CONST: Keyword.Declaration,
    Kind.CONST_NAME: Name.Constant,
    Kind.IMPORT: Keyword.Namespace,
    Kind.BOOLEAN: Keyword.Constant,
    Kind.KEYWORD: Keyword,
    Kind.FIELD: Name.Attribute,
    Kind.VARIABLE: Name.Variable,
    Kind.NAME: Name,
    Kind.OPERATOR: Operator,
    Kind.PUNCTUATION: Punctuation,
    Kind.ERROR: Error,
}


class CapplanLexer(Lexer):
    """Lexer for capplan capacity-planning specs (`.plan`)."""

    name = "capplan"
    aliases = ["capplan", "plan"]
    filenames = ["*.plan"]
    mimetypes = ["text/x-capplan"]
    url = "https://github.com/capplan/capplan"
    version_added = ""

    def get_tokens_unprocessed(self, text):
        """(offset, Pygments token type, text) of every token, in order."""
        for token in tokenize(text):
            yield token.start, PYGMENTS_TOKEN[token.kind], token.text
