#!/usr/bin/env bash
# Set up capplan on a fresh Debian machine: system libraries, a virtual
# environment in .venv, and capplan with its test extra. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages: WeasyPrint needs Pango; reports embed DejaVu and a CJK font;
# the report tests open the HTML in Chromium and read the PDF with poppler.
APT_PACKAGES="python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core fonts-noto-cjk chromium poppler-utils"
if command -v apt-get >/dev/null 2>&1; then
  missing=""
  for pkg in $APT_PACKAGES; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
  done
  if [ -n "$missing" ]; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
  fi
fi

PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e '.[test]'
echo "capplan is set up: .venv/bin/capplan --help"
