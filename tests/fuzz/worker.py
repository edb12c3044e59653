"""A fuzz worker: reads inputs (JSON lines) on stdin, answers problems (JSON lines) on stdout.

Runs under an address-space limit of its warmed-up size plus MEMORY_LIMIT_MB, so an
input that allocates more fails with MemoryError instead of exhausting the machine.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from fuzz.harness import MEMORY_LIMIT_MB, check_input, prepare  # noqa: E402


def _address_space() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def main() -> int:
    workdir = tempfile.mkdtemp(prefix="capplan-fuzz-")
    prepare(workdir)
    check_input("const warm = 1 GiB\n", workdir)  # imports and caches before the limit is set
    if _address_space():
        limit = _address_space() + MEMORY_LIMIT_MB * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    out = sys.stdout
    sys.stdout = sys.stderr  # nothing printed by accident can corrupt the protocol
    for line in sys.stdin:
        job = json.loads(line)
        problems = check_input(job["text"], workdir, github=job.get("github", True))
        out.write(json.dumps({"index": job["index"], "problems": problems}) + "\n")
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
