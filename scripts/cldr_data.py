"""Writes compiler/render/report/cldr_data.py: the CLDR symbols and patterns of the report's languages, from
Babel (capplan.render.report.cldr), so that a report does not load Babel's locale data.

    .venv/bin/python scripts/cldr_data.py           # after a Babel upgrade
    .venv/bin/python scripts/cldr_data.py --check   # exit 1 if the module is not current

tests/test_report_cldr.py checks that it is current.
"""

from __future__ import annotations

import sys
from pathlib import Path

from capplan.render.report import cldr
from capplan.render.report.i18n import LANGUAGES

TARGET = Path(cldr.__file__).resolve().parent / "cldr_data.py"


def main(argv: list[str] | None = None) -> int:
    """Write the module (`--check`: exit 1 if it is not current, writing nothing)."""
    argv = sys.argv[1:] if argv is None else argv
    text = cldr.data_module(LANGUAGES)
    current = TARGET.is_file() and TARGET.read_text(encoding="utf-8") == text
    if "--check" in argv:
        if not current:
            print(f"{TARGET} is not current: run .venv/bin/python scripts/cldr_data.py")
        return 0 if current else 1
    if not current:
        TARGET.write_text(text, encoding="utf-8")
    print(f"{TARGET} {'written' if not current else 'current'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
