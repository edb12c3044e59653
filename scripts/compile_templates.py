"""Writes compiler/render/report/compiled/: the Python that Jinja2 generates from the report's templates
(capplan.render.report.jinja), so that a report does not lex, parse and generate code for them each run.

    .venv/bin/python scripts/compile_templates.py           # after editing a template
    .venv/bin/python scripts/compile_templates.py --check   # exit 1 if the package is not current

tests/test_report_templates.py checks that the package is current.
"""

from __future__ import annotations

import sys

from capplan.render.report.jinja import TARGET, generate
from capplan.render.report.render import environment


def main(argv: list[str] | None = None) -> int:
    """Write the compiled package (`--check`: exit 1 if it is not current, writing nothing)."""
    argv = sys.argv[1:] if argv is None else argv
    files = generate(environment("en"))
    stale = [n for n, text in files.items()
             if not (TARGET / n).is_file() or (TARGET / n).read_text(encoding="utf-8") != text]
    extra = sorted(p.name for p in TARGET.glob("*.py") if p.name not in files) if TARGET.is_dir() else []
    if "--check" in argv:
        for n in stale + extra:
            print(f"{TARGET / n} is not current: run .venv/bin/python scripts/compile_templates.py")
        return 1 if stale or extra else 0
    TARGET.mkdir(exist_ok=True)
    for n in stale:
        (TARGET / n).write_text(files[n], encoding="utf-8")
    for n in extra:
        (TARGET / n).unlink()
    print(f"{len(stale) + len(extra)} of {len(files)} files of {TARGET} written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
