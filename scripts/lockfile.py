"""Reading the lock files, in one place for scripts/setup.sh, scripts/lock.sh,
scripts/check-latest.sh and tests/test_lock.py.

    python3 scripts/lockfile.py fingerprint        # the fingerprint of the lock's inputs
    python3 scripts/lockfile.py pyproject          # the digest of pyproject.toml each lock's header names
    python3 scripts/lockfile.py extras LOCK        # installed packages LOCK does not name
    python3 scripts/lockfile.py drift LOCK         # installed versions that differ from LOCK

The fingerprint covers everything the locks are resolved from: pyproject.toml's requires-python,
dependencies, optional dependencies and build requirements, and requirements/build.in.
scripts/lock.sh writes it to requirements/inputs.sha256 with every refresh; tests/test_lock.py
fails when it no longer matches, so a range cannot change without the refresh that goes with it.
Each lock's header also names the digest of the whole pyproject.toml it was resolved from (`pyproject`),
so any change to pyproject.toml, a range or not, is committed with the locks refreshed from it.
`extras` and `drift` need `packaging` (in every lock) in the interpreter that runs them.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENTRY = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def fingerprint(root: Path = ROOT) -> str:
    pyproject = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    project = pyproject["project"]
    build_in = [line.strip() for line in (root / "requirements" / "build.in").read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.lstrip().startswith("#")]
    inputs = {"requires-python": project.get("requires-python"), "dependencies": project.get("dependencies", []),
              "optional-dependencies": project.get("optional-dependencies", {}),
              "build-system": pyproject.get("build-system", {}).get("requires", []), "build.in": build_in}
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def pyproject_digest(root: Path = ROOT) -> str:
    """The first 16 hex digits of pyproject.toml's SHA-256, as scripts/lock.sh writes them into each lock's header."""
    return hashlib.sha256((root / "pyproject.toml").read_bytes()).hexdigest()[:16]


def read_lock(path) -> list[tuple[str, str, str | None, int]]:
    """(canonical name, version, marker, number of hashes) per entry of a uv/pip-tools lock file;
    ValueError on a line that is none of entry, hash, comment or blank."""
    from packaging.utils import canonicalize_name

    entries, current = [], None
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        m = ENTRY.match(line)
        if m:
            current = [canonicalize_name(m.group(1)), m.group(2), m.group(3), 0]
            entries.append(current)
        elif line.strip().startswith("--hash=sha256:") and current is not None:
            current[3] += 1
        elif line.strip() and not line.lstrip().startswith("#"):
            raise ValueError(f"{Path(path).name}: unexpected line {line!r}")
    return [tuple(e) for e in entries]


def applicable(entries) -> dict[str, str]:
    """name -> version of the entries whose markers hold for this interpreter."""
    from packaging.markers import Marker

    return {name: version for name, version, marker, _ in entries if marker is None or Marker(marker).evaluate()}


def installed() -> dict[str, str]:
    """name -> version of every distribution this interpreter sees, capplan itself left out."""
    from importlib.metadata import distributions

    from packaging.utils import canonicalize_name

    have = {canonicalize_name(d.metadata["Name"]): d.version for d in distributions()}
    have.pop("capplan", None)
    return have


def main(argv: list[str]) -> int:
    if argv == ["fingerprint"]:
        print(fingerprint())
    elif argv == ["pyproject"]:
        print(pyproject_digest())
    elif len(argv) == 2 and argv[0] in ("extras", "drift"):
        lock, have = applicable(read_lock(argv[1])), installed()
        if argv[0] == "extras":
            print(" ".join(sorted(have.keys() - lock.keys())))
        else:
            drift = [f"{n} {lock.get(n, '-')} -> {have.get(n, '-')}" for n in sorted(lock.keys() | have.keys())
                     if lock.get(n) != have.get(n)]
            print(", ".join(drift) if drift else "none")
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
