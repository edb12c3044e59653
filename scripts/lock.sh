#!/usr/bin/env bash
# Refresh the lock files in requirements/ from the ranges in pyproject.toml — the one command
# to change a dependency. Each lock holds exact versions and the hashes of every distribution
# of them, for every platform and every Python capplan supports (>= 3.11), so the same file
# installs the same program on any machine:
#   requirements/runtime.txt  capplan alone (what `pip install capplan` needs)
#   requirements/lsp.txt      runtime + the language-server extra
#   requirements/test.txt     runtime + lsp + the test extra: what scripts/setup.sh and .ci/run install
#   requirements/inputs.sha256  the fingerprint of the inputs (scripts/lockfile.py): a range
#                               changed without a refresh fails tests/test_lock.py
# Each lock's header names the digest of the pyproject.toml it was resolved from, so any change to
# pyproject.toml (a range, an extra, the package list) comes with refreshed locks (tests/test_lock.py).
# After a refresh, run the tests on the new lock (this script does, unless --no-test) and
# commit the lock files together with the change that needed them; requirements/HISTORY.md
# records each refresh and its test result.
#
#   bash scripts/lock.sh              # refresh all locks, test them, record the result
#   bash scripts/lock.sh --no-test    # refresh only (e.g. to inspect the diff first)
#   bash scripts/lock.sh --check      # exit 1 if pyproject.toml's ranges no longer match the locks
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION="0.13.8"            # the locking tool, itself pinned
PYTHON="${PYTHON:-python3}"
mode="${1:-}"

tool_dir="${CAPPLAN_TOOL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/capplan-tools/uv-$UV_VERSION}"
if [ ! -x "$tool_dir/bin/uv" ]; then
  "$PYTHON" -m venv "$tool_dir"
  "$tool_dir/bin/python" -m pip install -q "uv==$UV_VERSION"
fi
uv="$tool_dir/bin/uv"

compile() {  # compile OUT [--extra X]...
  local out="$1"; shift
  "$uv" pip compile --quiet --universal --python-version 3.11 --generate-hashes \
    --custom-compile-command "bash scripts/lock.sh (pyproject.toml sha256 $("$PYTHON" scripts/lockfile.py pyproject))" \
    "$@" pyproject.toml requirements/build.in -o "$out"
}

if [ "$mode" = "--check" ]; then
  # Re-resolve without upgrading: a lock that still satisfies pyproject.toml comes out unchanged.
  scratch="$(mktemp -d)"; trap 'rm -rf "$scratch"' EXIT
  status=0
  for spec in "runtime:" "lsp:--extra lsp" "test:--extra test"; do
    name="${spec%%:*}"; extras="${spec#*:}"
    cp "requirements/$name.txt" "$scratch/$name.txt"
    # shellcheck disable=SC2086
    compile "$scratch/$name.txt" $extras
    if ! cmp -s "$scratch/$name.txt" "requirements/$name.txt"; then
      echo "lock: requirements/$name.txt does not match pyproject.toml; run: bash scripts/lock.sh" >&2
      diff -u "requirements/$name.txt" "$scratch/$name.txt" | head -40 >&2 || true
      status=1
    fi
  done
  if [ "$("$PYTHON" scripts/lockfile.py fingerprint)" != "$(cat requirements/inputs.sha256 2>/dev/null)" ]; then
    echo "lock: pyproject.toml's dependencies changed since the last refresh (requirements/inputs.sha256);" \
         "run: bash scripts/lock.sh" >&2
    status=1
  fi
  [ "$status" -eq 0 ] && echo "lock: requirements/*.txt match pyproject.toml"
  exit "$status"
fi

compile requirements/runtime.txt --upgrade
compile requirements/lsp.txt --upgrade --extra lsp
compile requirements/test.txt --upgrade --extra test
"$PYTHON" scripts/lockfile.py fingerprint > requirements/inputs.sha256
echo "lock: refreshed requirements/runtime.txt, lsp.txt, test.txt with uv $UV_VERSION"

if [ "$mode" != "--no-test" ]; then
  # Install the new lock into a throw-away environment and run the whole suite on it.
  scratch="$(mktemp -d)"; trap 'rm -rf "$scratch"' EXIT
  CAPPLAN_VENV="$scratch/venv" bash scripts/setup.sh --python-only
  set +e
  "$scratch/venv/bin/python" -m pytest -p no:cacheprovider 2>&1 | tee "$scratch/pytest.log"
  rc=${PIPESTATUS[0]}
  set -e
  summary="$(grep -E '(passed|failed|error)' "$scratch/pytest.log" | tail -1)"
  {
    echo
    echo "## $(date -u +%Y-%m-%d) — lock refreshed (uv $UV_VERSION, $("$scratch/venv/bin/python" -V))"
    echo "- tests on the new lock: ${summary:-no summary} (exit $rc)"
  } >> requirements/HISTORY.md
  echo "lock: recorded in requirements/HISTORY.md: $summary"
  exit "$rc"
fi
