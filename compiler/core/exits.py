"""Exit statuses of every capplan command, defined once.

0: success; 1: the specs (or a plan's requirement) failed; 2: the command line was wrong or a file
could not be read; 3: an internal error ("internal error, please report").
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_USER = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
