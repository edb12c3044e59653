"""The capplan language server: diagnostics, hover, completion and go to definition for `.plan` files.

Speaks the Language Server Protocol over stdio (pygls). Start it with
`capplan lsp` or `python -m capplan.tools.lsp`, and point an editor's LSP client
at that command for `*.plan` files (editors/README.md). The entry point is
`capplan.tools.lsp.server:main`.

* Diagnostics, on open, change and save: the open buffer is compiled in
  memory, as `capplan check` would compile the saved file: the loader is
  given a `read` function that serves every open document's text and falls
  back to the disk, so imports of open (unsaved) files see their buffers too.
  The catalog is parsed once per process (the loader memoises it) and the
  unit table is memoised, so a compile per keystroke costs a few tens of
  milliseconds for a 200-line spec. Changes are coalesced: a burst of
  `didChange` notifications compiles once, for the newest text.
* Hover: a declaration's name or a reference to it (a model's exact
  parameter count; a plan's verdict and peak memory per GPU; a GPU's memory
  and bandwidth; ...), a field name (its doc, type, unit, default and
  choices, from schema.py), a quantity (its value in canonical units), a
  constant (its value), a declaration kind, and a `require` result name.
* Completion: after `model =`, `gpu =`, `cluster =`, `precision =` (any
  field naming a declaration, and after `from` in a header) the declarations
  and catalog entries of that kind; the fields of the enclosing block's
  schema at the start of an entry; the choices of an enum field, formats,
  `true`/`false`; the fields of a declaration after `name.`; kinds and
  keywords at the top level; result names in `require`.
* Go to definition of a referenced declaration or constant.

Modules: `server` (the pygls server, its features and `main`), `documents`
(open documents, their compilations, LSP positions), `diagnostics` (capplan's
diagnostics as LSP's, published per file), `context` (the tokens and blocks
around the cursor, from capplan.lang.lexer, on text that need not parse),
`values` (declarations and values as shown), `docs` (markdown for fields,
kinds and quantities), `hover`, `completion`, `definition`.

Everything runs on the server's event loop: the compiler is not thread-safe
(the parser shares one Lark instance), and a compile is cheap enough.

This package's __init__ imports nothing, so that `capplan.tools.lsp.*` modules
import it without a cycle.
"""
