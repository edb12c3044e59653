"""The fingerprint of everything the lock files are resolved from: pyproject.toml's
requires-python, dependencies, optional dependencies and build requirements, and
requirements/build.in. scripts/lock.sh writes it to requirements/inputs.sha256 with every
refresh; tests/test_lock.py fails when it no longer matches, so a change to a dependency range
cannot land without the lock refresh that goes with it.

    python3 scripts/lock_inputs.py          # print the fingerprint
"""

from __future__ import annotations

import hashlib
import json
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def fingerprint(root: Path = ROOT) -> str:
    pyproject = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    project = pyproject["project"]
    build_in = [line.strip() for line in (root / "requirements" / "build.in").read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.lstrip().startswith("#")]
    inputs = {"requires-python": project.get("requires-python"), "dependencies": project.get("dependencies", []),
              "optional-dependencies": project.get("optional-dependencies", {}),
              "build-system": pyproject.get("build-system", {}).get("requires", []), "build.in": build_in}
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


if __name__ == "__main__":
    sys.stdout.write(fingerprint() + "\n")
