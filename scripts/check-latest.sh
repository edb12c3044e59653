#!/usr/bin/env bash
# The second CI lane: the test suite against the NEWEST releases that pyproject.toml's ranges
# allow — not the lock — in a throw-away environment, so that a dependency release that would
# break capplan is seen before the next lock refresh (and by users who install capplan into
# their own environments). `--lowest` tests the other end: the oldest release each range
# allows for capplan's direct dependencies (uv's lowest-direct resolution), so the lower bounds
# in pyproject.toml stay true. Not part of .ci/run; run it on a schedule or before a lock refresh.
#
#   bash scripts/check-latest.sh                    # newest releases; print which differ from the lock
#   bash scripts/check-latest.sh --lowest           # oldest releases the ranges allow
#   bash scripts/check-latest.sh [--lowest] --record  # also append the result to requirements/HISTORY.md
#
# The lock tests (marker `lock`) are deselected: this environment is meant to differ from it.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
UV_VERSION="0.13.8"      # the same resolver scripts/lock.sh uses
lowest=0; record=0
for arg in "$@"; do
  case "$arg" in
    --lowest) lowest=1 ;;
    --record) record=1 ;;
    *) echo "usage: bash scripts/check-latest.sh [--lowest] [--record]" >&2; exit 2 ;;
  esac
done
scratch="$(mktemp -d)"; trap 'rm -rf "$scratch"' EXIT

"$PYTHON" -m venv "$scratch/venv"
py="$scratch/venv/bin/python"
install() {
  "$py" -m pip install -q --disable-pip-version-check --upgrade pip setuptools || return 1
  if [ "$lowest" -eq 1 ]; then
    tool_dir="${CAPPLAN_TOOL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/capplan-tools/uv-$UV_VERSION}"
    if [ ! -x "$tool_dir/bin/uv" ]; then
      "$PYTHON" -m venv "$tool_dir" && "$tool_dir/bin/python" -m pip install -q "uv==$UV_VERSION" || return 1
    fi
    "$tool_dir/bin/uv" pip compile --quiet --resolution lowest-direct --python "$py" \
      --extra test pyproject.toml requirements/build.in -o "$scratch/lowest.txt" || return 1
    "$py" -m pip install -q --disable-pip-version-check -r "$scratch/lowest.txt" || return 1
    "$py" -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e . || return 1
  else
    # Editable, like scripts/setup.sh: the tests check the repository's own files (the catalog).
    "$py" -m pip install -q --disable-pip-version-check --upgrade -e ".[test]" || return 1
  fi
}
if ! install >"$scratch/pip.log" 2>&1; then
  grep -v "^WARNING: Location .* is ignored" "$scratch/pip.log" >&2
  echo "check-latest: the releases pyproject.toml's ranges allow do not install" >&2
  exit 1
fi

# Which resolved versions differ from the lock.
"$py" scripts/lockfile.py drift requirements/test.txt >"$scratch/drift.txt"
label=$([ "$lowest" -eq 1 ] && echo "oldest releases pyproject.toml's ranges allow (direct dependencies)" \
                            || echo "newest releases within pyproject.toml's ranges")
echo "check-latest: $label; differs from the lock: $(cat "$scratch/drift.txt")"

"$py" -m pytest -m "not lock" -p no:cacheprovider 2>&1 | tee "$scratch/pytest.log"
rc=${PIPESTATUS[0]}
summary="$(grep -E '(passed|failed|error).* in [0-9.]+s' "$scratch/pytest.log" | tail -1)"
echo "check-latest: ${summary:-no summary} (exit $rc)"
if [ "$record" -eq 1 ]; then
  {
    echo
    echo "## $(date -u +%Y-%m-%d) — $label ($("$py" -V))"
    echo "- differs from the lock: $(cat "$scratch/drift.txt")"
    echo "- tests: ${summary:-no summary} (exit $rc)"
  } >> requirements/HISTORY.md
fi
[ "$rc" -eq 5 ] && rc=1     # no tests ran: a failure, never a pass
exit "$rc"
