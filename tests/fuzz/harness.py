"""What must hold for every input: the checks of one fuzz input, run in a worker process.

For each input written as `main.plan` in a scratch project:
- `capplan eval --format json` exits 0 or 1 (never 3, "internal error"), prints strict JSON
  (no NaN or Infinity), and exit 1 comes with at least one diagnostic;
- `capplan check --format github` prints only workflow-command lines (nothing injected);
- `capplan fmt`'s formatter either reports syntax errors or gives text that parses to the same
  AST and formats to itself (idempotent, meaning-preserving);
- all of it within TIME_LIMIT_S of CPU time (CPU, not wall-clock: a loaded machine must not turn
  a scheduling delay into a finding; a true hang is caught by run.py's wall-clock watchdog), and
  within the memory budget the worker runs under (an input that needs more gets MemoryError,
  reported as a budget violation).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import time

TIME_LIMIT_S = 2.0
MEMORY_LIMIT_MB = 500
_WORKFLOW_LINE = re.compile(r"^::(error|warning)( [^\n]*)?::[^\n]*$")


def _strict_json(text: str):
    def refuse(name):
        raise ValueError(f"non-JSON constant {name}")

    return json.loads(text, parse_constant=refuse)


def _run(argv: list[str]) -> tuple[int, str, str]:
    from capplan import cli

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv)
    return code, out.getvalue(), err.getvalue()


def prepare(workdir: str) -> None:
    """A scratch project: capplan.toml, and hostile neighbours an input may try to import."""
    os.makedirs(workdir, exist_ok=True)
    open(os.path.join(workdir, "capplan.toml"), "w").close()
    for name, target in (("dev.plan", "/dev/zero"), ("passwd.plan", "/etc/passwd")):
        link = os.path.join(workdir, name)
        if not os.path.lexists(link):
            os.symlink(target, link)


def check_input(text: str, workdir: str, github: bool = True) -> list[str]:
    """The problems found with one input (empty: it behaves)."""
    from capplan.lang.formatter import FormatterError, format_source

    problems: list[str] = []
    path = os.path.join(workdir, "main.plan")
    with open(path, "w", encoding="utf-8", errors="surrogatepass") as fh:
        fh.write(text)
    cwd = os.getcwd()
    os.chdir(workdir)
    started = time.process_time()
    try:
        code, out, err = _run(["eval", "--format", "json", "--color", "never", "main.plan"])
        if code not in (0, 1) or "internal error" in err:
            problems.append(f"eval: exit {code}: {err.strip().splitlines()[-1:] or ''}")
        else:
            try:
                doc = _strict_json(out)
                if code == 1 and not doc["diagnostics"]:
                    problems.append("eval: exit 1 without a diagnostic")
            except (ValueError, KeyError, TypeError) as exc:
                problems.append(f"eval: output is not valid JSON: {exc}")
        if github:
            code, out, err = _run(["check", "--format", "github", "main.plan"])
            if code not in (0, 1) or "internal error" in err:
                problems.append(f"check: exit {code}: {err.strip().splitlines()[-1:] or ''}")
            for line in out.splitlines():
                if not _WORKFLOW_LINE.match(line):
                    problems.append(f"check --format github: a line that is not a workflow command: {line[:80]!r}")
                    break
        try:
            formatted, _ = format_source(text, "main.plan")
            if formatted is not None:
                again, _ = format_source(formatted, "main.plan")
                if again != formatted:
                    problems.append("fmt: not idempotent")
        except FormatterError as exc:
            problems.append(f"fmt: {exc}")
        except RecursionError:
            problems.append("fmt: RecursionError")
    except MemoryError:
        problems.append(f"budget: over {MEMORY_LIMIT_MB} MB")
    except Exception as exc:  # noqa: BLE001  (anything escaping the CLI is a finding)
        problems.append(f"escaped: {exc.__class__.__name__}: {exc}"[:300])
    finally:
        os.chdir(cwd)
    elapsed = time.process_time() - started
    if elapsed > TIME_LIMIT_S:
        problems.append(f"budget: {elapsed:.2f} s of CPU, over {TIME_LIMIT_S} s")
    return problems
