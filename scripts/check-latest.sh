#!/usr/bin/env bash
# The second CI lane: the test suite against the NEWEST releases that pyproject.toml's ranges
# allow — not the lock — in a throw-away environment, so that a dependency release that would
# break capplan is seen before the next lock refresh (and by users who install capplan into
# their own environments). Not part of .ci/run; run it on a schedule or before `scripts/lock.sh`.
#
#   bash scripts/check-latest.sh            # run; print which versions differ from the lock
#   bash scripts/check-latest.sh --record   # also append the result to requirements/HISTORY.md
#
# The lock tests (marker `lock`) are deselected: this environment is meant to differ from it.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
scratch="$(mktemp -d)"; trap 'rm -rf "$scratch"' EXIT

"$PYTHON" -m venv "$scratch/venv"
py="$scratch/venv/bin/python"
if ! { "$py" -m pip install -q --disable-pip-version-check --upgrade pip setuptools &&
       "$py" -m pip install -q --disable-pip-version-check --upgrade ".[test]"; } >"$scratch/pip.log" 2>&1; then
  grep -v "^WARNING: Location .* is ignored" "$scratch/pip.log" >&2
  echo "check-latest: the newest releases allowed by pyproject.toml do not install" >&2
  exit 1
fi

# Which resolved versions differ from the lock.
"$py" - requirements/test.txt >"$scratch/drift.txt" <<'PY'
import re, sys
from importlib.metadata import distributions
from packaging.markers import Marker
locked = {}
for line in open(sys.argv[1], encoding="utf-8"):
    m = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$", line)
    if m and (m.group(3) is None or Marker(m.group(3)).evaluate()):
        locked[m.group(1).lower().replace("_", "-")] = m.group(2)
have = {d.metadata["Name"].lower().replace("_", "-"): d.version for d in distributions()}
drift = [f"{n} {locked.get(n, '-')} -> {have.get(n, '-')}" for n in sorted(locked.keys() | have.keys())
         if n != "capplan" and locked.get(n) != have.get(n)]
print(", ".join(drift) if drift else "none")
PY
echo "check-latest: newer than the lock: $(cat "$scratch/drift.txt")"

# The installed (non-editable) capplan is what the tests import: compiler/ is not named capplan.
"$py" -m pytest -m "not lock" -p no:cacheprovider 2>&1 | tee "$scratch/pytest.log"
rc=${PIPESTATUS[0]}
summary="$(grep -E '^[0-9]+ (passed|failed)|(passed|failed|error).* in [0-9.]+s' "$scratch/pytest.log" | tail -1)"
echo "check-latest: ${summary:-no summary} (exit $rc)"
if [ "${1:-}" = "--record" ]; then
  {
    echo
    echo "## $(date -u +%Y-%m-%d) — newest releases within pyproject.toml's ranges ($("$py" -V))"
    echo "- newer than the lock: $(cat "$scratch/drift.txt")"
    echo "- tests: ${summary:-no summary} (exit $rc)"
  } >> requirements/HISTORY.md
fi
[ "$rc" -eq 5 ] && rc=1     # no tests ran: a failure, never a pass
exit "$rc"
