"""The `capplan` command line.

Exit status: 0 success; 1 the specs have errors or a requirement failed;
2 usage errors; 3 an internal error (a bug of ours: please report it).
"""

from __future__ import annotations

import argparse
import os
import sys

from capplan import __version__
from capplan.core.exits import EXIT_OK, EXIT_USER, EXIT_USAGE, EXIT_INTERNAL
from capplan.tools.export.targets import TARGETS as EXPORT_TARGETS

# Each command imports what it needs when it runs (the modules below are loaded lazily), so that
# `capplan check` does not pay for the report, the search, the language server or Pint's registry;
# bench/run.py measures the start-up this keeps small (issue 10).

STDOUT = "-"  # `-o -` is standard output (capplan.core.atomic.STDOUT; not imported here, to keep start-up small)


class _CommandParser(argparse.ArgumentParser):
    """A subcommand's parser: an argument it does not know is an error with its own usage line (argparse
    would leave it to the top-level parser, whose usage says nothing about the subcommand)."""

    def parse_known_args(self, args=None, namespace=None):
        namespace, extra = super().parse_known_args(args, namespace)
        if extra:
            self.error(f"unrecognized arguments: {' '.join(extra)}")
        return namespace, extra


class _NotParsed:
    """Stands for a subcommand's parser when another subcommand runs: its arguments are not declared."""

    @staticmethod
    def add_argument(*args, **kwargs) -> None:
        return None


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line; with `command`, only that subcommand's arguments are declared (each costs
    argparse a help formatter and translations: a third of building them all), None: every one."""
    ap = argparse.ArgumentParser(prog="capplan", description="Capacity plans for large language models: "
                                 "compile .plan specs into checked per-GPU memory, time and cost estimates, layout "
                                 "searches and procurement answers.")
    ap.add_argument("--version", action="version", version=f"capplan {__version__}")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND", parser_class=_CommandParser)

    def add(name: str, **kwargs):
        parser = sub.add_parser(name, **kwargs)
        return parser if command is None or command == name else _NotParsed

    c = add("check", help="parse, resolve, unit-check and evaluate specs; enforce `require`")
    c.add_argument("files", nargs="+", metavar="FILE")
    c.add_argument("--format", choices=("text", "json", "github"), default="text")
    c.add_argument("--color", choices=("auto", "always", "never"), default="auto")

    e = add("eval", help="evaluate the plans of specs and print the results")
    e.add_argument("files", nargs="+", metavar="FILE")
    e.add_argument("--format", choices=("text", "json"), default="text")
    e.add_argument("-o", "--output", metavar="OUT", help="write to a file (atomically) instead of stdout (`-` for stdout)")
    e.add_argument("--color", choices=("auto", "always", "never"), default="auto")

    d = add("diff", help="what changed between two versions of specs: inputs and outputs per plan")
    d.add_argument("files", nargs="*", metavar="OLD NEW | FILE")
    d.add_argument("--git", metavar="REV", help="compare FILEs (default: every affected spec) with git revision REV")
    d.add_argument("--format", choices=("text", "md", "json"), default="text")
    d.add_argument("--threshold", default="0.05%", metavar="PERCENT",
                   help="hide changes smaller than this (default 0.05%%; changes under one display unit are "
                        "always hidden)")
    d.add_argument("--fail-on", default="", metavar="POLICIES",
                   help="exit 1 when: no-fit, requirement, regression[=5%%] (comma-separated)")

    a = add("affected", help="the specs whose plans' resolved inputs changed since a git revision "
            "(through imports too)")
    a.add_argument("paths", nargs="*", metavar="PATH")
    a.add_argument("--git", metavar="REV", required=True, help="the git revision to compare with")
    a.add_argument("--format", choices=("text", "json"), default="text")
    a.add_argument("--existing", action="store_true", help="leave out specs deleted since REV (for check, fmt)")
    a.add_argument("--check", action="store_true", help="run `capplan check` on the affected specs")

    f = add("fmt", help="rewrite specs in canonical format, keeping comments; --check: print the "
            "diff and exit 1 instead")
    f.add_argument("files", nargs="+", metavar="FILE")
    f.add_argument("--check", action="store_true", help="write nothing; exit 1 if any file would change")
    f.add_argument("--eol", choices=("lf", "crlf"), help="line endings to write or require (default: each "
                   "file keeps its own; --check then ignores line endings)")

    sub.add_parser("lsp", help="run the language server for editors (LSP over stdio)")
    p = add("export", help="a plan's layout as Megatron-LM arguments, a DeepSpeed config, a torchrun "
                       "line or vLLM arguments: export FILE PLAN --to megatron|deepspeed|torchrun|vllm",
                       description="Turn an evaluated plan into the arguments or config of the framework that "
                       "runs it. Settings the framework cannot express are reported as warnings "
                       "(and as `# capplan:` comment lines in text outputs).")
    p.add_argument("file", metavar="FILE", help="the .plan spec")
    p.add_argument("plan", metavar="PLAN", help="the name of a training or inference plan in FILE")
    p.add_argument("--to", required=True, choices=tuple(EXPORT_TARGETS), dest="target",
                   help="megatron, deepspeed, torchrun (training plans) or vllm (inference plans)")
    p.add_argument("-o", "--output", metavar="OUT", help="write to a file (atomically) instead of stdout (`-` for stdout)")
    # commands that parse their own arguments (see DELEGATED): listed here for --help
    sub.add_parser("calibrate", help="fit capplan's constants to your measurements: calibrate SPEC PLAN "
                   "[--megatron-log F] [--vllm-bench F] [--sglang-bench F [--bench-record N]] [--torch-profile F] "
                   "[--nccl-tests F] [-o OUT]",
                   add_help=False)
    sub.add_parser("import-hf", help="a Hugging Face config.json as a `model` block: import-hf CONFIG.json "
                   "[--name NAME] [-o OUT] [--strict]", add_help=False)
    sub.add_parser("report", help="an HTML, PDF, Markdown or text report: report FILE... -o OUT "
                   "[--format html|pdf|md|txt] [--paper a4|letter] [--lang en|zh]", add_help=False)

    k = add("catalog", help="list the standard catalog")
    k.add_argument("--kind", choices=("gpu", "model", "precision", "cluster"))
    k.add_argument("--format", choices=("text", "json"), default="text")

    x = add("explain", help="document a diagnostic code (E0301) or a kind (model), or show "
            "the derivation of a figure: explain FILE PLAN FIGURE")
    x.add_argument("topic", nargs="+", metavar="CODE|KIND|FILE PLAN FIGURE")
    return ap


def _color(choice: str, stream) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return stream.isatty()


def _print_diagnostics(comp, fmt: str, color: bool) -> None:
    from capplan.core.diagnostics import render_all

    items = comp.diagnostics.sorted()
    if not items:
        return
    if fmt == "github":
        from capplan.core.diagnostics import render_github

        for d in items:
            print(render_github(d))
        return
    print(render_all(items, comp.program.sources, color), file=sys.stderr)
    print(file=sys.stderr)


def cmd_check(args) -> int:
    from capplan.core.escape import screen_non_finite
    from capplan.pipeline import compile_files, result_document

    comp = compile_files(args.files)
    screen_non_finite(comp, null=args.format == "json")
    if args.format == "json":
        import json

        doc = result_document(comp)
        print(json.dumps({"ok": not comp.failed, "diagnostics": doc["diagnostics"],
                          "plans": [{"name": p["name"], "fits": p["fits"], "peak_bytes": p["peak_bytes"],
                                     "requirements": p["requirements"]} for p in doc["plans"]]},
                         indent=2, sort_keys=True, allow_nan=False))
        return EXIT_USER if comp.failed else EXIT_OK
    _print_diagnostics(comp, args.format, _color(args.color, sys.stderr))
    errors = len(comp.diagnostics.errors)
    warnings = len(comp.diagnostics.items) - errors
    if args.format == "text":
        from capplan.render.text import check_summary

        print(check_summary(comp, errors, warnings, _color(args.color, sys.stdout)))
    return EXIT_USER if errors else EXIT_OK


def cmd_eval(args) -> int:
    from capplan.core.atomic import output_problem, write_atomically
    from capplan.core.escape import screen_non_finite
    from capplan.pipeline import compile_files, result_document

    if args.output == STDOUT:
        args.output = None
    problem = output_problem(args.output) if args.output is not None else None
    if problem:
        print(f"capplan: cannot write {args.output}: {problem}", file=sys.stderr)
        return EXIT_USAGE
    comp = compile_files(args.files)
    screen_non_finite(comp, null=args.format == "json")
    color = _color(args.color, sys.stdout) and not args.output
    _print_diagnostics(comp, "text", _color(args.color, sys.stderr))
    if args.format == "json":
        import json

        text = json.dumps(result_document(comp), indent=2, sort_keys=True, allow_nan=False) + "\n"
    else:
        from capplan.render.text import render_plans

        from capplan.render.fit import terminal_width

        text = render_plans(comp, color, terminal_width(None if args.output else sys.stdout))
    if args.output:
        if comp.failed:
            print(f"capplan: {args.output} not written: the specs have errors", file=sys.stderr)
            return EXIT_USER
        write_atomically(args.output, text)
    else:
        sys.stdout.write(text)
    return EXIT_USER if comp.failed else EXIT_OK


def cmd_diff(args) -> int:
    from capplan.tools.diff.command import run_diff

    return run_diff(args, _print_diagnostics, _color("auto", sys.stderr))


def cmd_affected(args) -> int:
    from capplan.tools.diff.command import run_affected

    return run_affected(args, lambda paths: main(["check", *paths]))


def cmd_export(args) -> int:
    from capplan.tools.export.command import run_export

    output = None if args.output == STDOUT else args.output
    return run_export(args.file, args.plan, args.target, output, sys.stdout, sys.stderr)


def cmd_fmt(args) -> int:
    from capplan.lang.formatter import run_fmt

    return run_fmt(args.files, args.check, sys.stdout, sys.stderr, eol=args.eol)


def cmd_lsp(args) -> int:
    try:
        from capplan.tools.lsp.server import main as lsp_main
    except ImportError as exc:
        print(f"capplan: `capplan lsp` needs pygls and pygments: pip install 'capplan[lsp]' ({exc})",
              file=sys.stderr)
        return EXIT_USAGE
    return lsp_main() or EXIT_OK


def cmd_catalog(args) -> int:
    from capplan.tools.catalog import catalog_entries, render_catalog

    entries, comp = catalog_entries(args.kind)
    if comp.failed:
        _print_diagnostics(comp, "text", False)
        return EXIT_INTERNAL
    if args.format == "json":
        import json

        print(json.dumps(entries, indent=2, sort_keys=True))
    else:
        print(render_catalog(entries))
    return EXIT_OK


def cmd_explain(args) -> int:
    from capplan.tools.explain.command import explain_figure, explain_topic
    from capplan.check.schema import KINDS

    if len(args.topic) == 1:
        text = explain_topic(args.topic[0])
        if text is None:
            print(f"capplan: nothing to explain for `{args.topic[0]}` (a diagnostic code like E0301, a kind: "
                  f"{', '.join(KINDS)}, or FILE PLAN FIGURE)", file=sys.stderr)
            return EXIT_USAGE
        print(text)
        return EXIT_OK
    if len(args.topic) != 3:
        print("capplan: explain takes CODE, KIND, or FILE PLAN FIGURE", file=sys.stderr)
        return EXIT_USAGE
    from capplan.pipeline import compile_files

    path, plan_name, figure = args.topic
    comp = compile_files([path])
    if comp.broken:  # a plan that fails a requirement still has figures: explaining them is the point
        _print_diagnostics(comp, "text", _color("auto", sys.stderr))
        return EXIT_USER
    plans = {p["name"]: p for p in comp.plans}
    if plan_name not in plans:
        print(f"capplan: `{path}` has no plan `{plan_name}`; plans: {', '.join(sorted(plans)) or 'none'}",
              file=sys.stderr)
        return EXIT_USER
    text, error = explain_figure(plans[plan_name], figure)
    if error:
        print(f"capplan: {error}", file=sys.stderr)
        return EXIT_USER
    print(text)
    return EXIT_OK


DELEGATED = {  # subcommand -> module whose main(argv, out, err) parses the rest of the command line
    "calibrate": "capplan.tools.calibrate.command",
    "import-hf": "capplan.tools.import_hf.command",
    "report": "capplan.render.report.command",
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in DELEGATED:
        import importlib

        try:
            module = importlib.import_module(DELEGATED[argv[0]])
            return module.main(argv[1:], sys.stdout, sys.stderr)
        except KeyboardInterrupt:
            return 130
        except Exception as exc:  # our bug, never the user's input
            print(f"capplan: internal error, please report: {exc.__class__.__name__}: {exc}", file=sys.stderr)
            return EXIT_INTERNAL
    args = _parser(argv[0] if argv and not argv[0].startswith("-") else None).parse_args(argv)
    if args.command is None:
        _parser().print_help()
        return EXIT_USAGE
    handler = {"check": cmd_check, "eval": cmd_eval, "diff": cmd_diff, "catalog": cmd_catalog,
               "explain": cmd_explain, "lsp": cmd_lsp, "fmt": cmd_fmt,
               "affected": cmd_affected, "export": cmd_export}
    try:
        return handler[args.command](args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # our bug, never the user's input (but OutputRefused: a refused output path)
        from capplan.core.atomic import OutputRefused

        if isinstance(exc, OutputRefused):  # e.g. `fmt` on a spec that is a symbolic link
            print(f"capplan: {exc}", file=sys.stderr)
            return EXIT_USAGE
        import traceback

        print(f"capplan: internal error, please report: {exc.__class__.__name__}: {exc}", file=sys.stderr)
        if os.environ.get("CAPPLAN_DEBUG"):
            traceback.print_exc()
        return EXIT_INTERNAL
