#!/usr/bin/env bash
# Set up capplan on a fresh Debian machine, reproducibly: the system libraries, a virtual
# environment (.venv, or $CAPPLAN_VENV), and capplan with its test and LSP extras installed from
# the committed lock file requirements/test.txt — exact versions, every file's hash checked,
# nothing resolved from the package index's newest releases. Idempotent.
#
#   bash scripts/setup.sh                 # everything (uses sudo for apt-get when not root)
#   bash scripts/setup.sh --python-only   # skip the Debian packages
#
# The lock is refreshed with `bash scripts/lock.sh` (see requirements/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."

LOCK="requirements/test.txt"
VENV="${CAPPLAN_VENV:-.venv}"
PYTHON="${PYTHON:-python3}"

# System packages: WeasyPrint needs Pango; reports embed DejaVu and a CJK font;
# the report tests open the HTML in Chromium and read the PDF with poppler.
APT_PACKAGES="python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core fonts-noto-cjk chromium poppler-utils git"
if [ "${1:-}" != "--python-only" ] && command -v apt-get >/dev/null 2>&1; then
  missing=""
  for pkg in $APT_PACKAGES; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
  done
  if [ -n "$missing" ]; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    echo "setup: apt-get install$missing"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
  fi
fi

"$PYTHON" - <<'PY' || { echo "setup: capplan needs Python >= 3.11 (set PYTHON=/path/to/python3.11+)" >&2; exit 1; }
import sys
sys.exit(0 if sys.version_info >= (3, 11) else 1)
PY
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"

log="$(mktemp)"; trap 'rm -f "$log"' EXIT
pip_quietly() {  # pip's own chatter goes to a log, shown only when it fails
  "$VENV/bin/python" -m pip --disable-pip-version-check "$@" >"$log" 2>&1 || {
    grep -v "^WARNING: Location .* is ignored" "$log" >&2; echo "setup: pip $* failed" >&2; exit 1; }
}
# 1. Every dependency, pip and setuptools included, from the lock: --require-hashes refuses any
#    file whose hash is not in it, --no-deps refuses anything the lock does not name, and
#    --only-binary refuses to build (a build would fetch unlocked tools).
pip_quietly install --require-hashes --no-deps --only-binary :all: -r "$LOCK"
# 2. capplan itself, editable, built by the locked setuptools (no isolated build environment).
pip_quietly install --no-deps --no-build-isolation -e .
# 3. Nothing else: packages an earlier run or a person installed into this venv, and the lock no
#    longer names, are removed (tests/test_lock.py asserts the venv is exactly the lock).
extra="$("$VENV/bin/python" scripts/lockfile.py extras "$LOCK")"
if [ -n "$extra" ]; then
  echo "setup: removing packages the lock does not name: $extra"
  # shellcheck disable=SC2086
  pip_quietly uninstall -y $extra
fi
pip_quietly check

"$VENV/bin/python" - "$LOCK" <<'PY'
import sys
from importlib.metadata import distributions, version
names = sorted({d.metadata["Name"] for d in distributions()}, key=str.lower)
key = ["lark", "pint", "jinja2", "weasyprint", "numpy", "babel", "pygls", "pytest"]
print(f"setup: {len(names)} packages installed from {sys.argv[1]} (Python {sys.version.split()[0]}); "
      + ", ".join(f"{n} {version(n)}" for n in key))
PY
echo "setup: capplan $("$VENV/bin/python" -c 'import capplan; print(capplan.__version__)') is ready: $VENV/bin/capplan --help"
