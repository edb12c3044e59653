"""`capplan report FILE... -o OUT [--format html|pdf|md|txt] [--paper a4|letter] [--lang en|zh] [--[no-]appendix]`.

Exit status as the rest of the CLI: 0 written; 1 the specs have errors (the
diagnostics go to `err`, nothing is written); 2 usage errors; 3 an internal
error. Requirement failures and plans that do not fit are not errors here:
the report exists to show them (`capplan check` is the gate).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from capplan.core.atomic import STDOUT, output_problem, write_atomically
from capplan.core.diagnostics import render_all
from capplan.core.exits import EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, EXIT_USER
from capplan.pipeline import compile_files
from capplan.render.fit import terminal_width
from capplan.render.report.render import FORMATS, PAPERS, render_report
from capplan.render.report.sections.summary import NOT_FATAL

EXTENSIONS = {".html": "html", ".htm": "html", ".pdf": "pdf", ".md": "md", ".markdown": "md", ".txt": "txt"}


class _Usage(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse that reports to our streams and never calls sys.exit."""

    def __init__(self, *args, out=None, err=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._out, self._err = out, err

    def error(self, message):
        raise _Usage(message)

    def exit(self, status=0, message=None):
        if message:
            (self._err or sys.stderr).write(message)
        raise _Usage(None) if status else _Done()

    def print_help(self, file=None):
        (self._out or sys.stdout).write(self.format_help())


class _Done(Exception):
    pass


def configure_parser(ap: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The report command's arguments (for wiring into the main CLI's subparsers too)."""
    ap.add_argument("files", nargs="+", metavar="FILE", help="spec files (.plan)")
    ap.add_argument("-o", "--output", metavar="OUT",
                    help="the report file, written atomically; its extension picks the format "
                         "(.html .pdf .md .txt); `-`: standard output (with --format; text by default). "
                         "Without it: text (or --format md) on standard output")
    ap.add_argument("--format", choices=FORMATS, help="html, pdf, md or txt (default: from OUT's extension)")
    ap.add_argument("--paper", choices=sorted(PAPERS), default="a4", type=str.lower, help="PDF paper size")
    ap.add_argument("--lang", choices=("en", "zh"), default="en", help="report language (zh: Simplified Chinese)")
    ap.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                    help="ANSI colour in text reports on a terminal")
    ap.add_argument("--appendix", action=argparse.BooleanOptionalAction, default=None,
                    help="include the appendix: assumed constants, every figure's provenance and the source specs "
                         "(default: on for html, md and txt, off for pdf)")
    return ap


def parser(out=None, err=None) -> argparse.ArgumentParser:
    return configure_parser(_Parser(prog="capplan report", out=out, err=err,
                                    description="Render the capacity-planning report of specs as HTML, PDF, "
                                                "Markdown or terminal text."))


def git_commit(paths: list[str]) -> str | None:
    """`git rev-parse --short HEAD` in the first spec's directory; None outside a repository or without git."""
    return git_commit_of(start_git_commit(paths))


def start_git_commit(paths: list[str]) -> subprocess.Popen | None:
    """`git rev-parse --short HEAD` started in the first spec's directory, to run while the specs compile
    (git_commit_of waits for it); None where git cannot be started."""
    folder = Path(paths[0]).resolve().parent if paths else Path.cwd()
    try:
        return subprocess.Popen(["git", "rev-parse", "--short", "HEAD"], cwd=folder, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    except (OSError, subprocess.SubprocessError):
        return None


def git_commit_of(proc: subprocess.Popen | None) -> str | None:
    """The commit that start_git_commit's git printed; None outside a repository, without git, or after 5 s."""
    if proc is None:
        return None
    try:
        out, _ = proc.communicate(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return None
    commit = out.strip()
    if proc.returncode != 0 or not commit or not all(c in "0123456789abcdef" for c in commit):
        return None
    return commit


def _color(choice: str, stream) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def run(args, out, err) -> int:
    """The command, from parsed arguments."""
    fmt = args.format
    to_stdout = args.output == STDOUT  # `-o -`: standard output (a PDF too, as bytes)
    if to_stdout:
        args.output = None
    if fmt is None:
        if args.output:
            fmt = EXTENSIONS.get(Path(args.output).suffix.lower())
            if fmt is None:
                err.write(f"capplan report: cannot tell the format of `{args.output}` from its extension; "
                          f"use --format {'|'.join(FORMATS)}\n")
                return EXIT_USAGE
        else:
            fmt = "txt"
    if not args.output and not to_stdout and fmt == "pdf":
        err.write("capplan report: a PDF needs an output file: -o OUT.pdf (or -o - for standard output)\n")
        return EXIT_USAGE
    problem = output_problem(args.output) if args.output else None
    if problem:
        err.write(f"capplan report: cannot write `{args.output}`: {problem}\n")
        return EXIT_USAGE

    git = start_git_commit(args.files)   # runs while the specs compile
    try:
        return _compile_and_write(args, fmt, out, err, git)
    finally:
        if git is not None and git.poll() is None:   # not waited for (errors in the specs): not left behind
            git.kill()
            git.wait()


def _compile_and_write(args, fmt: str, out, err, git: subprocess.Popen | None) -> int:
    """Compile the specs, report their diagnostics and write the report (or say why not)."""
    comp = compile_files(args.files)
    items = comp.diagnostics.sorted()
    fatal = [d for d in items if d.severity == "error" and d.code not in NOT_FATAL]
    if items:
        err.write(render_all(items, comp.program.sources, _color(args.color, err)) + "\n\n")
    if fatal:
        where = f"{args.output} not written" if args.output else "no report"
        errors = sum(d.severity == "error" for d in items)  # what was printed above, verdicts included
        err.write(f"capplan report: {where}: the specs have {errors} error{'s' if errors != 1 else ''}\n")
        return EXIT_USER

    color = fmt == "txt" and not args.output and _color(args.color, out)
    result = render_report(comp, fmt, lang=args.lang, paper=PAPERS[args.paper], commit=git_commit_of(git),
                           color=color, appendix=args.appendix, width=terminal_width(None if args.output else out))
    if args.output:
        data = result if isinstance(result, bytes) else result.encode("utf-8")
        write_atomically(args.output, data)
    elif isinstance(result, bytes):  # a PDF on standard output
        out.flush()
        binary = getattr(out, "buffer", out)
        binary.write(result)
        binary.flush()
    else:
        out.write(result)
    return EXIT_OK


def main(argv: list[str] | None, out=None, err=None) -> int:
    """`capplan report ARGS`: argv without the command name; writes to `out`/`err` (default stdout/stderr)."""
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    try:
        args = parser(out, err).parse_args(list(argv) if argv is not None else sys.argv[1:])
    except _Done:
        return EXIT_OK
    except _Usage as exc:
        if exc.args and exc.args[0]:
            err.write(f"capplan report: error: {exc.args[0]}\n")
            err.write(parser().format_usage())
        return EXIT_USAGE
    try:
        return run(args, out, err)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # our bug, never the user's input
        err.write(f"capplan: internal error, please report: {exc.__class__.__name__}: {exc}\n")
        if os.environ.get("CAPPLAN_DEBUG"):
            import traceback   # only here: its imports cost every report ~2 ms

            traceback.print_exc(file=err)
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
