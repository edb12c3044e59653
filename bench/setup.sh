#!/usr/bin/env bash
# The benchmark's own environment, bench/.venv-bench: llm-analysis (PyPI), the tool whose per-layout
# speed bench/run.py compares capplan's layout search with. It is not a dependency of capplan and
# never enters capplan's own venv or lock (requirements/): bench/run.py runs it in a subprocess.
#
#   bash bench/setup.sh          # create or update bench/.venv-bench from bench/requirements.txt
#   bash bench/setup.sh --lock   # re-resolve bench/requirements.in into bench/requirements.txt (uv)
#
# Installs exact versions with every file's hash checked (--require-hashes); idempotent.
set -euo pipefail
cd "$(dirname "$0")"

VENV="${CAPPLAN_BENCH_VENV:-.venv-bench}"
PYTHON="${PYTHON:-python3}"

if [ "${1:-}" = "--lock" ]; then
  UV="${UV:-}"
  for candidate in "$UV" "$HOME/.cache/capplan-tools/uv-0.13.8/bin/uv" /tmp/uvenv/bin/uv "$(command -v uv || true)"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then UV="$candidate"; break; fi
  done
  [ -x "${UV:-}" ] || { echo "bench/setup.sh --lock needs uv (set UV=/path/to/uv)" >&2; exit 1; }
  "$UV" pip compile --quiet --generate-hashes --python-version 3.11 requirements.in -o requirements.txt
  echo "bench: requirements.txt re-locked with $("$UV" --version)"
  exit 0
fi

[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
log="$(mktemp)"; trap 'rm -f "$log"' EXIT
"$VENV/bin/python" -m pip --disable-pip-version-check install --require-hashes --no-deps \
  -r requirements.txt >"$log" 2>&1 || { cat "$log" >&2; echo "bench: pip install failed" >&2; exit 1; }
"$VENV/bin/python" -c "import llm_analysis.analysis" 2>/dev/null \
  || { echo "bench: llm-analysis does not import in $VENV" >&2; exit 1; }
echo "bench: $VENV ready ($("$VENV/bin/python" -c 'import importlib.metadata as m; print("llm-analysis", m.version("llm-analysis"))'))"
