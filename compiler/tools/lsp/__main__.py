"""`python -m capplan.tools.lsp`: serve LSP over stdio."""

from __future__ import annotations

from capplan.tools.lsp.server import main

if __name__ == "__main__":
    raise SystemExit(main())
