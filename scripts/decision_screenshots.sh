#!/usr/bin/env bash
# Screenshots of the report's decision page (the top of the HTML report) for two shipped examples, at a
# desktop (1280 px) and a phone (390 px) width, into docs/screenshots/. Needs Chromium (scripts/setup.sh
# installs it). Run from anywhere: bash scripts/decision_screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/screenshots
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
for spec in llama3-70b-pretrain chat-serving; do
  .venv/bin/capplan report "specs/examples/$spec.plan" -o "$work/$spec.html" >/dev/null
  for size in 1280,1500 390,1700; do
    width="${size%%,*}"
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="$size" \
      --screenshot="$out/$spec-decision-$width.png" "file://$work/$spec.html" >/dev/null 2>&1
  done
done
ls -1 "$out"/*.png
